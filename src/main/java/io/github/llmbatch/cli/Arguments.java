package io.github.llmbatch.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One command's arguments split into positionals, flags and valued options. Valued options accept
 * {@code --name value} and {@code --name=value}; an option not declared by the command is an error.
 */
final class Arguments {

    private final List<String> positionals = new ArrayList<>();
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Arguments() {
    }

    static Arguments parse(List<String> args, Set<String> valuedOptions, Set<String> flags) throws UsageException {
        Arguments parsed = new Arguments();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                parsed.positionals.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                parsed.positionals.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            if (flags.contains(name) && name.equals(arg)) {
                parsed.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (valuedOptions.contains(name)) {
                String value;
                if (!name.equals(arg)) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException("option " + name + " needs a value");
                }
                parsed.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException("unknown option " + arg);
            }
        }
        return parsed;
    }

    List<String> positionals() {
        return positionals;
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    Optional<String> value(String name) {
        List<String> all = values(name);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** Exactly {@code min..max} positionals, else a usage error naming the command. */
    List<String> positionals(String command, int min, int max) throws UsageException {
        if (positionals.size() < min) {
            throw new UsageException(command + ": missing argument");
        }
        if (positionals.size() > max) {
            throw new UsageException(command + ": unexpected argument " + positionals.get(max));
        }
        return positionals;
    }

    static long executionId(String command, String value) throws UsageException {
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(command + ": execution id must be a positive number, not '" + value + "'");
    }
}
