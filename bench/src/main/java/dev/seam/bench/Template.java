package dev.seam.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * An encoded request and the offsets of its ids and timestamps. In a template a trace id is {@code
 * (0, i + 1)} for trace i and a span id is {@code slot + 1}, so the offsets map back to the group's
 * fresh ids; a timestamp is {@code TIME_BASE + offset from now}.
 */
final class Template {

  /** Template timestamps are offsets from this, so that every one is a positive fixed64. */
  static final long TIME_BASE = 1L << 60;

  private static final VarHandle BE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  final byte[] bytes;
  final int items;
  final int[] tracePos;
  final int[] traceSlot;
  final int[] spanPos;
  final int[] spanSlot;
  final int[] timePos;
  final long[] timeOffset;

  private Template(
      byte[] bytes,
      int items,
      IntList tracePos,
      IntList traceSlot,
      IntList spanPos,
      IntList spanSlot,
      IntList timePos,
      List<Long> timeOffset) {
    this.bytes = bytes;
    this.items = items;
    this.tracePos = tracePos.toArray();
    this.traceSlot = traceSlot.toArray();
    this.spanPos = spanPos.toArray();
    this.spanSlot = spanSlot.toArray();
    this.timePos = timePos.toArray();
    this.timeOffset = timeOffset.stream().mapToLong(Long::longValue).toArray();
  }

  /** A copy of the request with the group's fresh ids and timestamps around {@code now}. */
  byte[] patch(IdStream ids, long now) {
    long[] traceHi = ids.traceHi;
    long[] traceLo = ids.traceLo;
    long[] spanIds = ids.spanIds;
    byte[] out = bytes.clone();
    for (int i = 0; i < tracePos.length; i++) {
      int t = traceSlot[i];
      BE_LONG.set(out, tracePos[i], traceHi[t]);
      BE_LONG.set(out, tracePos[i] + 8, traceLo[t]);
    }
    for (int i = 0; i < spanPos.length; i++) {
      BE_LONG.set(out, spanPos[i], spanIds[spanSlot[i]]);
    }
    for (int i = 0; i < timePos.length; i++) {
      LE_LONG.set(out, timePos[i], now + timeOffset[i]);
    }
    return out;
  }

  /** Spans (log records) in an encoded trace (logs) export request. */
  static int countItems(byte[] b) {
    return forEachItem(b, item -> {});
  }

  /**
   * Hands a reader over each span (log record) of an encoded trace (logs) export request to {@code
   * visit}, and returns how many there were: request.1 -> resource container .2 -> scope container
   * .2 -> span or log record.
   */
  private static int forEachItem(byte[] b, Consumer<WireReader> visit) {
    int items = 0;
    WireReader top = new WireReader(b, 0, b.length);
    while (top.more()) {
      int tag = top.tag();
      if (tag != ((1 << 3) | 2)) {
        top.skip(tag);
        continue;
      }
      WireReader res = top.sub();
      while (res.more()) {
        int rt = res.tag();
        if (rt != ((2 << 3) | 2)) {
          res.skip(rt);
          continue;
        }
        WireReader sc = res.sub();
        while (sc.more()) {
          int st = sc.tag();
          if (st != ((2 << 3) | 2)) {
            sc.skip(st);
            continue;
          }
          items++;
          visit.accept(sc.sub());
        }
      }
    }
    return items;
  }

  /**
   * Walks an encoded ExportTraceServiceRequest (or, with {@code logs}, ExportLogsServiceRequest)
   * and records where the ids and timestamps of its spans (log records) are.
   */
  static Template compile(byte[] b, boolean logs) {
    IntList tracePos = new IntList();
    IntList traceSlot = new IntList();
    IntList spanPos = new IntList();
    IntList spanSlot = new IntList();
    IntList timePos = new IntList();
    List<Long> timeOffset = new ArrayList<>();
    int items =
        forEachItem(
            b,
            item -> {
              while (item.more()) {
                int it = item.tag();
                int field = it >>> 3;
                int wire = it & 7;
                int traceField = logs ? 9 : 1;
                int spanField = logs ? 10 : 2;
                if (wire == 2
                    && (field == traceField || field == spanField || (!logs && field == 4))) {
                  int len = item.varint();
                  int pos = item.pos;
                  if (len == 16 && field == traceField) {
                    tracePos.add(pos);
                    traceSlot.add((int) ((long) BE_LONG.get(b, pos + 8) - 1));
                  } else if (len == 8 && field != traceField) {
                    spanPos.add(pos);
                    spanSlot.add((int) ((long) BE_LONG.get(b, pos) - 1));
                  }
                  item.pos += len;
                } else if (wire == 1
                    && (logs ? (field == 1 || field == 11) : (field == 7 || field == 8))) {
                  long v = (long) LE_LONG.get(b, item.pos);
                  if (v != 0) {
                    timePos.add(item.pos);
                    timeOffset.add(v - TIME_BASE);
                  }
                  item.pos += 8;
                } else if (!logs && wire == 2 && field == 11) {
                  // Span.Event: its time (field 1) moves with the span.
                  WireReader ev = item.sub();
                  while (ev.more()) {
                    int et = ev.tag();
                    if (et == ((1 << 3) | 1)) {
                      timePos.add(ev.pos);
                      timeOffset.add((long) LE_LONG.get(b, ev.pos) - TIME_BASE);
                      ev.pos += 8;
                    } else {
                      ev.skip(et);
                    }
                  }
                } else {
                  item.skip(it);
                }
              }
            });
    return new Template(b, items, tracePos, traceSlot, spanPos, spanSlot, timePos, timeOffset);
  }

  /** A growable array of ints. */
  private static final class IntList {
    int[] a = new int[64];
    int n;

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }
}
