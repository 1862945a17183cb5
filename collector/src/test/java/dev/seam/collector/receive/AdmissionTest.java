package dev.seam.collector.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The in-flight bound's arithmetic, the heap guard switched off (a share of 1). */
class AdmissionTest {

  @Test
  void bodiesAreTakenUpToTheBound() {
    Admission a = new Admission(1000, 1.0);
    assertTrue(a.tryAcquire(600));
    assertTrue(a.tryAcquire(400));
    assertEquals(1000, a.inflightBytes());
    assertFalse(a.tryAcquire(1), "the bound is full");
    assertEquals("the pipeline backlog is at its bound of 1000 bytes", a.overloaded());
    a.release(400);
    assertFalse(a.tryAcquire(401), "one byte over the room left");
    assertEquals(600, a.inflightBytes(), "a refused body reserves nothing");
    assertTrue(a.tryAcquire(400));
    a.release(400);
    a.release(600);
    assertEquals(0, a.inflightBytes());
    assertNull(a.overloaded());
  }

  @Test
  void aBodyLargerThanTheBoundIsTakenAlone() {
    Admission a = new Admission(1000, 1.0);
    assertTrue(a.tryAcquire(5000), "nothing else in flight");
    assertFalse(a.tryAcquire(1));
    a.release(5000);
    assertTrue(a.tryAcquire(1));
    assertFalse(a.tryAcquire(5000), "not beside another body");
    assertEquals(1, a.inflightBytes());
  }

  @Test
  void aReloadedBoundAppliesToTheNextBody() {
    Admission a = new Admission(1000, 1.0);
    assertTrue(a.tryAcquire(800));
    a.update(500, 1.0);
    assertFalse(a.tryAcquire(1), "already over the new bound");
    a.update(2000, 1.0);
    assertTrue(a.tryAcquire(1200));
    assertEquals(2000, a.inflightBytes());
  }
}
