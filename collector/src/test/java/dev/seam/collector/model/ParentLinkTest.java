package dev.seam.collector.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ParentLinkTest {

  @Test
  void noParentIsNoneWhateverTheFlags() {
    assertEquals(ParentLink.NONE, ParentLink.of(false, 0));
    assertEquals(ParentLink.NONE, ParentLink.of(false, 0x100));
    assertEquals(ParentLink.NONE, ParentLink.of(false, 0x300));
  }

  @Test
  void flagsZeroSayNothing() {
    assertEquals(ParentLink.UNKNOWN, ParentLink.of(true, 0));
  }

  @Test
  void hasIsRemoteWithoutIsRemoteIsLocal() {
    assertEquals(ParentLink.LOCAL, ParentLink.of(true, 0x100));
  }

  @Test
  void hasIsRemoteWithIsRemoteIsRemote() {
    assertEquals(ParentLink.REMOTE, ParentLink.of(true, 0x300));
  }

  @Test
  void isRemoteWithoutHasIsRemoteIsUnknown() {
    assertEquals(ParentLink.UNKNOWN, ParentLink.of(true, 0x200));
  }

  @Test
  void traceFlagsInTheLowByteDoNotMatter() {
    assertEquals(ParentLink.UNKNOWN, ParentLink.of(true, 0x01));
    assertEquals(ParentLink.LOCAL, ParentLink.of(true, 0x101));
    assertEquals(ParentLink.REMOTE, ParentLink.of(true, 0x301));
    assertEquals(ParentLink.UNKNOWN, ParentLink.of(true, 0x201));
  }
}
