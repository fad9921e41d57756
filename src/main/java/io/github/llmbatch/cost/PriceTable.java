package io.github.llmbatch.cost;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Prices per provider and model: the dated table shipped with the program
 * ({@code prices.json} beside this class), optionally extended or replaced by a file
 * ({@code priceTable=FILE}, same format). A model that is not in the table has no price, and
 * every figure that needs one says "unknown" — never zero.
 */
public final class PriceTable {

    static final String BUILT_IN = "prices.json";

    /**
     * Suffixes that date a model snapshot: gpt-4o-2024-08-06, claude-haiku-4-5-20251001,
     * gemini-2.0-flash-001, claude-3-5-sonnet@20240620, gemini-2.5-flash-preview-05-20,
     * gemini-2.5-flash-preview-09-2025, ...-latest. Stripped so a snapshot matches its family.
     */
    private static final Pattern DATE_SUFFIX = Pattern.compile(
            "(-\\d{4}-\\d{2}-\\d{2}|-\\d{8}|@\\d{8}|-\\d{3}|-latest|-preview-\\d{2}-\\d{2,4}|-preview)$");

    private static final Jsonb JSONB = JsonbBuilder.create();

    private final Map<String, ModelPrice> prices;
    private final Map<String, String> aliases;
    private final String asOf;

    private PriceTable(Map<String, ModelPrice> prices, Map<String, String> aliases, String asOf) {
        this.prices = prices;
        this.aliases = aliases;
        this.asOf = asOf;
    }

    /** The table shipped with the program. */
    public static PriceTable builtIn() {
        try (InputStream in = PriceTable.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("the shipped price table " + BUILT_IN + " is missing");
            }
            PriceTableDocument doc = parse(in, "the shipped price table");
            return new PriceTable(new LinkedHashMap<>(), new LinkedHashMap<>(), doc.asOf)
                    .with(doc, "price table of " + doc.asOf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The shipped table with a file's entries over it ({@code priceTable=FILE}): an entry replaces
     * the shipped one of the same provider and model and adds the others; a file with
     * {@code "replaceBuiltIn": true} is the whole table.
     *
     * @throws IllegalArgumentException naming the file and the entry when it cannot be used
     */
    public static PriceTable withFile(Path file) {
        PriceTableDocument doc;
        try (InputStream in = Files.newInputStream(file)) {
            doc = parse(in, "price table " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read price table " + file + ": " + e.getMessage(), e);
        }
        PriceTable base = doc.replaceBuiltIn
                ? new PriceTable(new LinkedHashMap<>(), new LinkedHashMap<>(), doc.asOf)
                : builtIn();
        return base.with(doc, "price table " + file + (doc.asOf == null ? "" : " of " + doc.asOf));
    }

    /** @param file null or blank for the shipped table */
    public static PriceTable of(String file) {
        return file == null || file.isBlank() ? builtIn() : withFile(Path.of(file));
    }

    /** The date of the shipped (or replacing) table's figures. */
    public String asOf() {
        return asOf;
    }

    /**
     * The prices of a model, matched by provider (or the provider it is an alias of) and model:
     * exactly, or after stripping a date suffix and a {@code models/} prefix.
     */
    public Optional<ModelPrice> find(String provider, String model) {
        if (provider == null || model == null || model.isBlank()) {
            return Optional.empty();
        }
        String name = model.trim().toLowerCase(Locale.ROOT);
        if (name.startsWith("models/")) {
            name = name.substring("models/".length());
        }
        String family = DATE_SUFFIX.matcher(name).replaceFirst("");
        String p = provider.toLowerCase(Locale.ROOT);
        // an alias chain is followed at most once around, so a cycle in a file cannot loop
        for (int hops = 0; p != null && hops <= aliases.size(); hops++, p = aliases.get(p)) {
            ModelPrice price = prices.get(key(p, name));
            if (price == null) {
                price = prices.get(key(p, family));
            }
            if (price != null) {
                return Optional.of(price);
            }
        }
        return Optional.empty();
    }

    private PriceTable with(PriceTableDocument doc, String source) {
        if (doc.currency != null && !CostFigures.USD.equals(doc.currency)) {
            throw new IllegalArgumentException(source + ": currency " + doc.currency + " is not supported, only USD");
        }
        Map<String, ModelPrice> merged = new LinkedHashMap<>(prices);
        int index = 0;
        for (PriceTableDocument.Entry e : doc.models) {
            String where = source + ", models[" + index++ + "]";
            if (e.provider == null || e.model == null) {
                throw new IllegalArgumentException(where + ": provider and model are required");
            }
            String provider = e.provider.toLowerCase(Locale.ROOT);
            String model = e.model.toLowerCase(Locale.ROOT);
            merged.put(key(provider, model), new ModelPrice(provider, model,
                    rates(e.standard, where + " (" + e.model + ") standard"),
                    rates(e.batch, where + " (" + e.model + ") batch"), source));
        }
        Map<String, String> allAliases = new LinkedHashMap<>(aliases);
        doc.aliases.forEach((k, v) -> allAliases.put(k.toLowerCase(Locale.ROOT), v.toLowerCase(Locale.ROOT)));
        return new PriceTable(merged, allAliases, doc.asOf == null ? asOf : doc.asOf);
    }

    private static Rates rates(PriceTableDocument.Tier tier, String where) {
        if (tier == null || tier.input == null) {
            throw new IllegalArgumentException(where + ": an input price is required");
        }
        if (tier.input.signum() < 0 || (tier.cachedInput != null && tier.cachedInput.signum() < 0)
                || (tier.output != null && tier.output.signum() < 0)) {
            throw new IllegalArgumentException(where + ": prices cannot be negative");
        }
        return new Rates(tier.input, tier.cachedInput, tier.output);
    }

    private static PriceTableDocument parse(InputStream in, String what) {
        try {
            PriceTableDocument doc = JSONB.fromJson(in, PriceTableDocument.class);
            if (doc == null) {
                throw new IllegalArgumentException(what + " is empty");
            }
            return doc;
        } catch (JsonbException e) {
            throw new IllegalArgumentException(what + " is not a valid price table: " + e.getMessage(), e);
        }
    }

    private static String key(String provider, String model) {
        return provider + '\u0000' + model;
    }
}
