package dev.seam.collector.normalize;

import dev.seam.collector.normalize.FieldNames.Field;
import dev.seam.collector.normalize.FieldNames.Kind;
import dev.seam.collector.normalize.LogContextExtractor.Result;
import dev.seam.collector.normalize.propagation.HeaderFormat;
import dev.seam.collector.normalize.propagation.ParsedContext;

/**
 * The best value of each kind that one source of a log record (its attributes or its body) offered
 * so far. Its inherited slots are where the parsers write, so one object per record serves the
 * whole scan; it is created on the first key that matches a name, so records without any cost no
 * allocation.
 */
final class Candidates extends ParsedContext {

  private Field traceField;
  private long traceHigh;
  private long traceLow;
  private Field spanField;
  private long spanFieldId;
  private Field header;
  private HeaderFormat headerFormat;
  private long headerHigh;
  private long headerLow;
  private long headerSpan;

  /** Whether {@code f} outranks what this source already gave for its kind. */
  boolean wants(Field f) {
    Field held = f.kind == Kind.TRACE ? traceField : f.kind == Kind.SPAN ? spanField : header;
    return held == null || f.priority < held.priority;
  }

  /** Keeps what a parser just wrote into the inherited slots as {@code f}'s value. */
  void keep(Field f) {
    switch (f.kind) {
      case TRACE:
        traceField = f;
        traceHigh = traceIdHigh();
        traceLow = traceIdLow();
        break;
      case SPAN:
        spanField = f;
        spanFieldId = spanId();
        break;
      default:
        header = f;
        headerFormat = format();
        headerHigh = traceIdHigh();
        headerLow = traceIdLow();
        headerSpan = spanId();
        break;
    }
  }

  /**
   * Keeps a 64-bit id that arrived as an int as the value of {@code f}, a trace or span id field. A
   * trace id is the low half of the 128-bit id.
   */
  void keepInt(Field f, long id) {
    if (f.kind == Kind.TRACE) {
      traceField = f;
      traceHigh = 0;
      traceLow = id;
    } else {
      spanField = f;
      spanFieldId = id;
    }
  }

  /**
   * The source's answer. A header's span id is not mixed with a trace id field's: a header logged
   * by a server is usually the incoming one, whose span is the caller's.
   */
  Result result(boolean body) {
    if (traceField != null) {
      long span = spanField != null ? spanFieldId : 0;
      return new Result(traceHigh, traceLow, span, traceField.source(body));
    }
    if (header != null) {
      String source = header.source(body, headerFormat);
      return new Result(headerHigh, headerLow, headerSpan, source);
    }
    return null;
  }
}
