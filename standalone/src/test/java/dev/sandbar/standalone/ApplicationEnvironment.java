package dev.sandbar.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What one of this repository's applications reads from its environment, derived from its sources
 * rather than listed by hand: the {@code ${...}} placeholders of its Java code ({@code @Value},
 * default properties) and of any {@code application*.properties|yml}, and its {@code System.getenv}
 * calls, over the application's module and every Sandbar module it depends on.
 *
 * <p>A placeholder names a property ({@code sandbar.temporal.ui-url}), which Spring Boot also reads
 * from the environment variable of its relaxed name ({@code SANDBAR_TEMPORAL_UI_URL}), or an
 * environment variable itself ({@code SANDBAR_DB_URL}).
 */
final class ApplicationEnvironment {

  /** One {@code ${name:default}}; the default may hold further placeholders. */
  record Placeholder(String name, @Nullable String defaultValue, List<Placeholder> nested) {

    /** The default without its nested placeholders: what is used when none of them is set. */
    String literalDefault() {
      String literal = defaultValue == null ? "" : defaultValue;
      for (Placeholder inner : nested) {
        literal = literal.replace(inner.text(), "");
      }
      return literal;
    }

    String text() {
      return "${" + name + (defaultValue == null ? "" : ":" + defaultValue) + "}";
    }
  }

  private static final Pattern GETENV = Pattern.compile("System\\.getenv\\(\\s*\"([A-Z0-9_]+)\"");
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]*");
  private static final Pattern ENV_STYLE = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final Pattern SANDBAR_DEPENDENCY =
      Pattern.compile("<dependency>\\s*(.*?)</dependency>", Pattern.DOTALL);

  private final List<String> modules;
  private final List<Placeholder> placeholders;
  private final Set<String> getenv;

  private ApplicationEnvironment(
      List<String> modules, List<Placeholder> placeholders, Set<String> getenv) {
    this.modules = modules;
    this.placeholders = placeholders;
    this.getenv = getenv;
  }

  static ApplicationEnvironment of(Path root, String module) {
    List<String> modules = withSandbarDependencies(root, module);
    List<Placeholder> placeholders = new ArrayList<>();
    Set<String> getenv = new TreeSet<>();
    for (String each : modules) {
      for (Path source : sources(root.resolve(each))) {
        String text = read(source);
        placeholders.addAll(parseAll(text));
        Matcher call = GETENV.matcher(text);
        while (call.find()) {
          getenv.add(call.group(1));
        }
      }
    }
    return new ApplicationEnvironment(modules, placeholders, getenv);
  }

  /** The modules whose code runs in the application: the module and its Sandbar dependencies. */
  List<String> modules() {
    return modules;
  }

  /** Every environment variable the application reads. */
  Set<String> names() {
    Set<String> names = new TreeSet<>(getenv);
    Deque<Placeholder> todo = new ArrayDeque<>(placeholders);
    while (!todo.isEmpty()) {
      Placeholder placeholder = todo.pop();
      names.addAll(environmentNames(placeholder.name()));
      todo.addAll(placeholder.nested());
    }
    return names;
  }

  /**
   * Why an application given exactly these environment variables in a container would run without a
   * value or on a default meant for one machine (a {@code localhost} or {@code 127.0.0.1} address,
   * which in a container is the container itself); empty when it would not.
   */
  List<String> unmet(Set<String> given) {
    List<String> problems = new ArrayList<>();
    for (Placeholder placeholder : placeholders) {
      unmet(placeholder, given, problems);
    }
    return problems;
  }

  private static void unmet(Placeholder placeholder, Set<String> given, List<String> problems) {
    Set<String> names = environmentNames(placeholder.name());
    if (names.stream().anyMatch(given::contains)
        || System.getProperty(placeholder.name()) != null) {
      return; // given, or a property every JVM has (user.home)
    }
    if (placeholder.defaultValue() == null) {
      problems.add(placeholder.text() + " has no default: give one of " + names);
      return;
    }
    for (Placeholder inner : placeholder.nested()) {
      unmet(inner, given, problems);
    }
    String literal = placeholder.literalDefault();
    if (literal.contains("localhost") || literal.contains("127.0.0.1")) {
      problems.add(placeholder.text() + " falls back to '" + literal + "': give one of " + names);
    }
  }

  /** The environment variables Spring Boot reads for a placeholder's name. */
  static Set<String> environmentNames(String name) {
    if (ENV_STYLE.matcher(name).matches()) {
      return Set.of(name);
    }
    // The name Spring's SystemEnvironmentPropertySource maps for @Value (and Boot for binding).
    return Set.of(name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
  }

  /** The property names among the placeholders ({@code sandbar.temporal.ui-url}). */
  Set<String> propertyNames() {
    Set<String> names = new TreeSet<>();
    Deque<Placeholder> todo = new ArrayDeque<>(placeholders);
    while (!todo.isEmpty()) {
      Placeholder placeholder = todo.pop();
      if (!ENV_STYLE.matcher(placeholder.name()).matches()) {
        names.add(placeholder.name());
      }
      todo.addAll(placeholder.nested());
    }
    return names;
  }

  /** Every top-level placeholder in a text, each with its nested ones. */
  static List<Placeholder> parseAll(String text) {
    List<Placeholder> found = new ArrayList<>();
    int from = 0;
    while ((from = text.indexOf("${", from)) >= 0) {
      int[] end = new int[1];
      Placeholder placeholder = parse(text, from, end);
      if (placeholder != null) {
        found.add(placeholder);
        from = end[0];
      } else {
        from += 2;
      }
    }
    return found;
  }

  /** Parses the placeholder at {@code start}; null when it is not one (a shell ${...}). */
  private static @Nullable Placeholder parse(String text, int start, int[] end) {
    int i = start + 2;
    int nameEnd = i;
    while (nameEnd < text.length() && ":}".indexOf(text.charAt(nameEnd)) < 0) {
      nameEnd++;
    }
    if (nameEnd >= text.length() || !NAME.matcher(text.substring(i, nameEnd)).matches()) {
      return null;
    }
    String name = text.substring(i, nameEnd);
    if (text.charAt(nameEnd) == '}') {
      end[0] = nameEnd + 1;
      return new Placeholder(name, null, List.of());
    }
    List<Placeholder> nested = new ArrayList<>();
    StringBuilder defaultValue = new StringBuilder();
    i = nameEnd + 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"' || c == '\n') {
        return null; // the string literal ends before the placeholder does
      }
      if (text.startsWith("${", i)) {
        int[] innerEnd = new int[1];
        Placeholder inner = parse(text, i, innerEnd);
        if (inner == null) {
          return null;
        }
        nested.add(inner);
        defaultValue.append(text, i, innerEnd[0]);
        i = innerEnd[0];
      } else if (c == '}') {
        end[0] = i + 1;
        return new Placeholder(name, defaultValue.toString(), List.copyOf(nested));
      } else {
        defaultValue.append(c);
        i++;
      }
    }
    return null;
  }

  /** The module followed by every Sandbar module it depends on outside the test scope. */
  static List<String> withSandbarDependencies(Path root, String module) {
    Set<String> modules = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(module));
    while (!todo.isEmpty()) {
      String next = todo.pop();
      if (!modules.add(next)) {
        continue;
      }
      Path pom = root.resolve(next).resolve("pom.xml");
      if (!Files.isRegularFile(pom)) {
        throw new IllegalStateException("module " + next + " has no " + pom);
      }
      Matcher dependency = SANDBAR_DEPENDENCY.matcher(read(pom));
      while (dependency.find()) {
        String body = dependency.group(1);
        if (body.contains("<groupId>dev.sandbar</groupId>")
            && !body.contains("<scope>test</scope>")
            && !body.contains("<type>test-jar</type>")) {
          Matcher artifact = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(body);
          if (artifact.find()) {
            todo.add(artifact.group(1));
          }
        }
      }
    }
    return List.copyOf(modules);
  }

  private static List<Path> sources(Path module) {
    List<Path> sources = new ArrayList<>();
    for (Path dir :
        List.of(module.resolve("src/main/java"), module.resolve("src/main/resources"))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files
            .filter(Files::isRegularFile)
            .filter(
                file -> {
                  String name = file.getFileName().toString();
                  return name.endsWith(".java")
                      || name.matches("application.*\\.(properties|ya?ml)");
                })
            .forEach(sources::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return sources;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
