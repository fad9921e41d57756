/**
 * A local stand-in for the OpenAI Files + Batches API and Gemini Batch Mode, for demos and tests (ours
 * and yours).
 *
 * <p>Start one with {@link io.github.llmbatch.emulator.EmulatorServer#start}, from the command line
 * with {@link io.github.llmbatch.emulator.EmulatorMain}, or in-process with
 * {@link io.github.llmbatch.emulator.EmbeddedEmulator} (job parameter {@code baseUrl=embedded}); point
 * any OpenAI client at {@link io.github.llmbatch.emulator.EmulatorServer#baseUrl()} with any non-empty
 * API key. It answers as written in {@code BATCH-PROTOCOLS.md} §A:
 * <ul>
 * <li>files: upload (multipart, streamed to disk), list, retrieve, content, delete;</li>
 * <li>batches: create, retrieve, list, cancel, with the life-cycle {@code validating → in_progress →
 *     finalizing → completed} (or {@code failed}, {@code expired}, {@code cancelling → cancelled})
 *     driven by a scheduler ({@link io.github.llmbatch.emulator.EmulatorTimings});</li>
 * <li>input validation with OpenAI's batch error codes, see {@code InputValidator};</li>
 * <li>results from a deterministic responder for {@code /v1/chat/completions} and
 *     {@code /v1/embeddings}, see {@code Responder}: chat answers read
 *     {@code [emulated] CUSTOM_ID: <first 60 code points of the last user message>};</li>
 * <li>failures on demand, see {@link io.github.llmbatch.emulator.FaultPlan};</li>
 * <li>Gemini Batch Mode ({@code BATCH-PROTOCOLS.md} §C) on the same port, below {@code /v1beta},
 *     {@code /upload/v1beta} and {@code /download/v1beta}: resumable upload, files, batches as
 *     long-running operations from a file or inline requests, responses files; see {@code GeminiApi} and
 *     {@link io.github.llmbatch.emulator.EmulatorServer#geminiBaseUrl()} (any non-empty
 *     {@code x-goog-api-key});</li>
 * <li>counters for assertions: {@link io.github.llmbatch.emulator.EmulatorStats}, also as JSON at
 *     {@code GET /_emulator/stats}.</li>
 * </ul>
 * Every answer carries the header {@code x-llm-batch-emulator: true}. State lives in memory and in
 * the storage directory; a new emulator does not read back what an earlier one stored.
 *
 * <p>This package uses no other package of the project.
 */
package io.github.llmbatch.emulator;
