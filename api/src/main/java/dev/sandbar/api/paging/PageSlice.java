package dev.sandbar.api.paging;

import dev.sandbar.api.problem.ApiProblem;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One page of a keyset-paged list (sandboxes, archives), cut from rows read with one row more than
 * the page holds: that extra row only tells that a next page exists, which starts after the page's
 * last row.
 */
public record PageSlice<T>(List<T> items, @Nullable String nextCursor) {

  public static final int DEFAULT_SIZE = 50;
  public static final int MAX_SIZE = 200;

  /** The page size a request asks for ({@code limit}); a 400 unless 1 to {@link #MAX_SIZE}. */
  public static int size(@Nullable Integer limit) {
    int size = limit == null ? DEFAULT_SIZE : limit;
    if (size < 1 || size > MAX_SIZE) {
      throw ApiProblem.invalid("limit", "must be between 1 and " + MAX_SIZE);
    }
    return size;
  }

  /**
   * The first {@code size} of {@code rows} (read with a limit of {@code size + 1}) and, if there
   * were more, the cursor after the last of them.
   */
  public static <T> PageSlice<T> of(List<T> rows, int size, Function<T, PageCursor> position) {
    boolean more = rows.size() > size;
    List<T> page = more ? rows.subList(0, size) : rows;
    return new PageSlice<>(page, more ? position.apply(page.getLast()).encode() : null);
  }
}
