package io.github.llmbatch.provider;

/** Decodes one line of a provider's result file. */
public interface ResultDecoder {

    /**
     * @param line one result line, UTF-8, without the line terminator
     * @throws IllegalArgumentException when the line is not a result line of this provider
     */
    ResultLine decode(byte[] line, int offset, int length);

    /** Just the custom_id of a result line; providers override this to skip decoding the body. */
    default String customIdOf(byte[] line, int offset, int length) {
        return decode(line, offset, length).customId();
    }
}
