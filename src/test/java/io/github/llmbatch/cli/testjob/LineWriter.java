package io.github.llmbatch.cli.testjob;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Appends each item as a line to the file named by {@code output}. */
@Dependent
@Named("cliTestLineWriter")
public class LineWriter extends AbstractItemWriter {

    @Inject
    @BatchProperty
    String output;

    @Override
    public void writeItems(List<Object> items) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (Object item : items) {
            lines.append(item).append('\n');
        }
        Path file = Path.of(output);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
