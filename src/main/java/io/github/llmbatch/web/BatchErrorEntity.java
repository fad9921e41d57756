package io.github.llmbatch.web;

/** The body of an error answer: the Jakarta Batch exception's simple name and its message. */
public record BatchErrorEntity(String type, String message) {
}
