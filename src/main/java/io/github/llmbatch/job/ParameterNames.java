package io.github.llmbatch.job;

import io.github.llmbatch.provider.ProviderProfiles;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Refuses job parameter names the job does not know. A misspelt name would otherwise be ignored
 * and its default used ({@code maxToken=5} sends no limit at all), and a secret given as a
 * parameter would be stored in clear text in the job repository.
 */
public final class ParameterNames {

    /** JBeret's own parameters, such as {@code jberet.restart.mode}. */
    private static final String RUNTIME_PREFIX = "jberet.";
    private static final Set<String> KNOWN = Set.copyOf(JobParameter.names());
    private static final Pattern SECRET = Pattern.compile(
            ".*(password|passwd|secret|token|credential|api[-_.]?key).*|.*key", Pattern.CASE_INSENSITIVE);

    private ParameterNames() {
    }

    /** Throws naming every unknown parameter, with the closest known name or the hint for secrets. */
    public static void requireKnown(Collection<String> names) {
        List<String> problems = new ArrayList<>();
        for (String name : new TreeSet<>(names)) {
            if (!KNOWN.contains(name) && !name.startsWith(RUNTIME_PREFIX)) {
                problems.add(problem(name));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static String problem(String name) {
        String closest = closest(name);
        if (closest != null) {
            return "unknown job parameter '" + name + "': did you mean " + closest + "?";
        }
        if (SECRET.matcher(name).matches()) {
            return "job parameter '" + name + "' looks like a secret, and job parameters are stored in clear text"
                    + " in the job repository: put the API key in an environment variable and name that variable"
                    + " with apiKeyEnv (default: the provider's, " + defaultKeyVariables() + ")";
        }
        return "unknown job parameter '" + name + "'; the known ones are " + String.join(", ", JobParameter.names());
    }

    private static String defaultKeyVariables() {
        return ProviderProfiles.all().stream().map(p -> p.name() + " " + p.defaultApiKeyEnv())
                .collect(Collectors.joining(", "));
    }

    /** The known name a typo most likely meant: at most 1 edit for short names, 2 for longer ones. */
    static String closest(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int allowed = name.length() < 6 ? 1 : 2;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : JobParameter.names()) {
            int d = editDistance(lower, known.toLowerCase(Locale.ROOT));
            if (d <= allowed && d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
