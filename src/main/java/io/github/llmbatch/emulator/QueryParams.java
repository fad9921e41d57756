package io.github.llmbatch.emulator;

/** Reading bounded numeric query parameters, answering 400 for bad ones. */
final class QueryParams {

    private QueryParams() {
    }

    static int intParam(ApiExchange call, String name, int defaultValue, int min, int max) {
        String raw = call.query(name);
        if (raw == null || raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.invalidRequest("Invalid '" + name + "': must be an integer from " + min + " to " + max
                    + ".", name);
        }
    }
}
