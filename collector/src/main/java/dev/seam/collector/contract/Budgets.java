package dev.seam.collector.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a call on a boundary may cost. Each budget is optional ({@code NaN} when not declared) and
 * is exported under its {@code budget} label value in the unit the rules compare it in.
 *
 * @param callerP99Seconds the caller's p99 duration
 * @param calleeP99Seconds the callee's p99 duration
 * @param overheadP99Seconds the p99 of the crossing itself (caller minus callee)
 * @param errorRatio the share of calls that may fail: the objective of the burn-rate alerts
 * @param allocatedBytesPerCallP99 the p99 of the bytes the callee allocates per call
 * @param calleeMemoryBytes the callee process's memory
 */
public record Budgets(
    double callerP99Seconds,
    double calleeP99Seconds,
    double overheadP99Seconds,
    double errorRatio,
    double allocatedBytesPerCallP99,
    double calleeMemoryBytes) {

  /** No budget declared. */
  public static final Budgets NONE =
      new Budgets(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** The {@code budget} label values, in the order of the components. */
  public static final List<String> KINDS =
      List.of(
          "caller_p99_seconds",
          "callee_p99_seconds",
          "overhead_p99_seconds",
          "error_ratio",
          "allocated_bytes_per_call_p99",
          "callee_memory_bytes");

  /** The declared budgets by label value, in the order of {@link #KINDS}. */
  public Map<String, Double> declared() {
    double[] values = values();
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      if (!Double.isNaN(values[i])) {
        out.put(KINDS.get(i), values[i]);
      }
    }
    return out;
  }

  /** These budgets, each one they leave open taken from {@code fallback}. */
  public Budgets orElse(Budgets fallback) {
    double[] a = values();
    double[] b = fallback.values();
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < a.length; i++) {
      out.add(Double.isNaN(a[i]) ? b[i] : a[i]);
    }
    return new Budgets(out.get(0), out.get(1), out.get(2), out.get(3), out.get(4), out.get(5));
  }

  private double[] values() {
    return new double[] {
      callerP99Seconds,
      calleeP99Seconds,
      overheadP99Seconds,
      errorRatio,
      allocatedBytesPerCallP99,
      calleeMemoryBytes
    };
  }
}
