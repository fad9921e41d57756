package io.github.llmbatch.emulator;

import java.util.List;

/** One page of a cursor-paginated list. */
record ListPage<T>(List<T> data, boolean hasMore) {
}
