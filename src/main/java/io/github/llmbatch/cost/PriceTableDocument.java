package io.github.llmbatch.cost;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The price table's file format, bound with JSON-B: the shipped {@code prices.json} and any
 * {@code priceTable=FILE} share it. Public fields keep the document shape obvious.
 */
public class PriceTableDocument {

    /** The date the figures were read from the providers' pages. */
    public String asOf;
    public String currency = CostFigures.USD;
    public String unit;
    /** A file with this set replaces the shipped table instead of extending it. */
    public boolean replaceBuiltIn;
    public List<Source> sources = new ArrayList<>();
    /** Provider name to the provider whose prices it charges (Azure charges OpenAI's). */
    public Map<String, String> aliases = new LinkedHashMap<>();
    public List<Entry> models = new ArrayList<>();

    public static class Source {
        public String provider;
        public String url;
        public String date;
    }

    public static class Entry {
        public String provider;
        public String model;
        /** chat or embeddings */
        public String kind;
        public Tier standard;
        public Tier batch;
        public String note;
    }

    /** USD per 1M tokens. */
    public static class Tier {
        public BigDecimal input;
        public BigDecimal cachedInput;
        public BigDecimal output;
    }
}
