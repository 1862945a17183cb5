package dev.seam.collector.normalize.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XRayParserTest {

  private static final String ROOT = "Root=1-5759e988-bd862e3fe1be46a994272793";
  private static final String PARENT = "Parent=53995c3f42cd8ad8";
  private static final long HI = 0x5759e988bd862e3fL;
  private static final long LO = 0xe1be46a994272793L;
  private static final long SP = 0x53995c3f42cd8ad8L;

  private final ParsedContext out = new ParsedContext();

  private boolean parse(String s) {
    String padded = "Root=" + s + ";Root=";
    return XRayParser.parse(padded, 5, padded.length() - 6, out);
  }

  private void assertIds(long hi, long lo, long span) {
    assertEquals(hi, out.traceIdHigh(), "trace id high");
    assertEquals(lo, out.traceIdLow(), "trace id low");
    assertEquals(span, out.spanId(), "span id");
    assertEquals(HeaderFormat.XRAY, out.format());
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        ROOT + ";" + PARENT + ";Sampled=1",
        PARENT + ";" + ROOT + ";Sampled=1",
        "Sampled=1;" + PARENT + ";" + ROOT,
        ROOT + ";" + PARENT + ";Sampled=1;Lineage=a87bd80c:1|68fd508a:5",
        "Sampled=?; Parent=53995C3F42CD8AD8 ; Root=1-5759E988-BD862E3FE1BE46A994272793;",
        "root=1-5759e988-bd862e3fe1be46a994272793;PARENT=53995c3f42cd8ad8"
      })
  void partsInAnyOrderCaseAndSpacing(String value) {
    assertTrue(parse(value));
    assertIds(HI, LO, SP);
  }

  @Test
  void theTraceIdIsTheEpochAndTheRandomPartRunTogether() {
    assertTrue(parse("Root=1-00000001-000000000000000000000002"));
    assertIds(1L << 32, 2, 0);
  }

  @Test
  void parentIsOptional() {
    assertTrue(parse(ROOT + ";Sampled=1"));
    assertIds(HI, LO, 0);
    assertTrue(parse(ROOT));
    assertIds(HI, LO, 0);
  }

  @Test
  void selfIsNotTheRoot() {
    // What an ALB adds: its own segment first, then the trace root, and no parent.
    assertTrue(parse("Self=1-67891234-12456789abcdef012345678;" + ROOT + ";Sampled=1"));
    assertIds(HI, LO, 0);
  }

  @Test
  void upperCaseHexRoot() {
    assertTrue(parse(ROOT.toUpperCase(Locale.ROOT)));
    assertIds(HI, LO, 0);
  }

  @ParameterizedTest(name = "\"{0}\" is invalid")
  @ValueSource(
      strings = {
        "",
        ";",
        "Root=",
        "Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
        "Root=1-5759e988-bd862e3fe1be46a99427279;Parent=53995c3f42cd8ad8",
        "Root=1-5759e988-bd862e3fe1be46a9942727930",
        "Root=1-5759e98-8bd862e3fe1be46a994272793",
        "Root=1_5759e988-bd862e3fe1be46a994272793",
        "Root=1-5759e988bd862e3fe1be46a994272793x",
        "Root=1-5759e988-bd862e3fe1be46a99427279g",
        "Root=1-5759e98g-bd862e3fe1be46a994272793",
        "Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8",
        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad",
        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad80",
        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8adx",
        "Root=1-5759e988-bd862e3fe1be46a994272793;Root=1-5759e988-bd862e3fe1be46a994272794",
        "Parent=53995c3f42cd8ad8;Sampled=1",
        "Self=1-5759e988-bd862e3fe1be46a994272793"
      })
  void invalid(String value) {
    assertFalse(parse(value));
  }
}
