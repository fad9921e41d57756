package io.github.llmbatch.cli;

import java.lang.reflect.InvocationTargetException;
import java.util.List;

/**
 * {@code emulator [--port N] [--faults SPEC]}: runs the local provider emulator until stopped. The
 * emulator parses its own options; its server threads keep the JVM alive, so this command asks
 * {@link Main} not to exit when it returns.
 */
final class EmulatorCommand {

    private static final String EMULATOR_MAIN = "io.github.llmbatch.emulator.EmulatorMain";

    private EmulatorCommand() {
    }

    static int run(List<String> args, CliContext cli) {
        // TODO(lead): once package emulator is merged, replace the lookup below with
        // io.github.llmbatch.emulator.EmulatorMain.main(args.toArray(String[]::new));
        try {
            Class.forName(EMULATOR_MAIN).getMethod("main", String[].class)
                    .invoke(null, (Object) args.toArray(String[]::new));
        } catch (ClassNotFoundException e) {
            throw new CliFailure("the emulator is not part of this build");
        } catch (InvocationTargetException e) {
            throw new CliFailure("emulator failed: " + Main.rootMessage(e.getCause()), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new CliFailure("cannot start the emulator: " + e);
        }
        return Main.KEEP_RUNNING;
    }
}
