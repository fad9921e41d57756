package io.github.llmbatch.cli;

import io.github.llmbatch.emulator.EmulatorMain;

import java.util.List;

/**
 * {@code emulator [--port N] [--faults SPEC]}: runs the local provider emulator until stopped. The
 * emulator parses its own options; its server threads keep the JVM alive, so this command asks
 * {@link Main} not to exit when it returns.
 */
final class EmulatorCommand {

    private EmulatorCommand() {
    }

    static int run(List<String> args, CliContext cli) {
        try {
            EmulatorMain.main(args.toArray(String[]::new));
        } catch (Exception e) {
            throw new CliFailure("emulator failed: " + Main.rootMessage(e), e);
        }
        return Main.KEEP_RUNNING;
    }
}
