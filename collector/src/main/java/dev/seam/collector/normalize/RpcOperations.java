package dev.seam.collector.normalize;

/**
 * Names RPC operations {@code pkg.Service/Method}, remembering those of recent spans by the
 * identity of the strings they were made from: the reader hands out one shared String per distinct
 * name, so a hit spares building the same operation for every span, and spans held for pairing
 * share one copy. Direct-mapped and fixed in size; not thread-safe, each thread has its own.
 */
final class RpcOperations {

  private static final int SLOTS = 256;

  private final String[] service = new String[SLOTS];
  private final String[] method = new String[SLOTS];
  private final String[] spanName = new String[SLOTS];
  private final String[] operation = new String[SLOTS];

  /** {@link #operation} of these strings, from the cache when they were seen lately. */
  String of(String svc, String m, String name) {
    int slot =
        (System.identityHashCode(svc) * 31 + System.identityHashCode(m)) * 31
            + System.identityHashCode(name);
    slot = (slot ^ (slot >>> 16)) & (SLOTS - 1);
    if (service[slot] == svc
        && method[slot] == m
        && spanName[slot] == name
        && operation[slot] != null) {
      return operation[slot];
    }
    String op = operation(svc, m, name);
    service[slot] = svc;
    method[slot] = m;
    spanName[slot] = name;
    operation[slot] = op;
    return op;
  }

  /**
   * {@code pkg.Service/Method} from either RPC naming generation, or the span name when it has that
   * form.
   */
  static String operation(String service, String method, String spanName) {
    String m = stripSlash(method);
    if (m != null && m.indexOf('/') > 0) {
      return m;
    }
    if (service != null && m != null) {
      return stripSlash(service) + "/" + m;
    }
    String n = stripSlash(spanName);
    if (n != null && n.indexOf('/') > 0 && n.indexOf(' ') < 0) {
      return n;
    }
    return m;
  }

  /** Drops the slash of {@code /pkg.Service/Method}: gRPC paths are written both ways. */
  private static String stripSlash(String s) {
    return s != null && s.length() > 1 && s.charAt(0) == '/' ? s.substring(1) : s;
  }
}
