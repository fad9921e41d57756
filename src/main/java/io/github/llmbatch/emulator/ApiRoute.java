package io.github.llmbatch.emulator;

/** The API calls the emulator serves, named by the fault-plan key that targets them. */
enum ApiRoute {
    UPLOAD("upload"),
    LIST_FILES("files"),
    RETRIEVE_FILE("file"),
    FILE_CONTENT("content"),
    DELETE_FILE("delete"),
    CREATE_BATCH("create"),
    RETRIEVE_BATCH("retrieve"),
    LIST_BATCHES("list"),
    CANCEL_BATCH("cancel"),
    /** Gemini only: {@code DELETE /v1beta/batches/{id}}. */
    DELETE_BATCH("deleteBatch");

    private final String faultKey;

    ApiRoute(String faultKey) {
        this.faultKey = faultKey;
    }

    String faultKey() {
        return faultKey;
    }
}
