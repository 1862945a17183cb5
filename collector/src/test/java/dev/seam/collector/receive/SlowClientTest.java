package dev.seam.collector.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A client that trickles its request (slowloris) is cut off, counted, and costs nobody else. */
class SlowClientTest {

  @Test
  void aBodyThatTricklesInIsRefusedWith408AndTheConnectionClosed() throws Exception {
    try (RunningSeam seam = RunningSeam.start("limits: {read-timeout: 500ms}")) {
      long started = System.nanoTime();
      try (Socket socket = new Socket("127.0.0.1", seam.httpPort())) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST /v1/traces HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n"
                    + "Content-Type: application/x-protobuf\r\n"
                    + "Content-Length: 1000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder answer = new StringBuilder();
        // One byte every 100 ms: the 1000-byte body would take 100 s.
        for (int i = 0; i < 100 && in.available() == 0; i++) {
          try {
            out.write(0x0a);
            out.flush();
          } catch (IOException closed) {
            break;
          }
          Thread.sleep(100);
        }
        int c;
        while ((c = in.read()) >= 0) {
          answer.append((char) c);
        }
        assertTrue(answer.toString().startsWith("HTTP/1.1 408"), answer.toString());
        assertTrue(
            answer.toString().toLowerCase().contains("connection: close"), answer.toString());
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      assertTrue(seconds < 5, "cut off after the 500 ms read timeout, not after " + seconds + " s");
      Scrape s = seam.scrape();
      assertEquals(
          1,
          s.value(
              "seam_refused_requests_total",
              "signal",
              "spans",
              "protocol",
              "http",
              "reason",
              "timeout"));
      assertEquals(
          200,
          seam.post("/v1/traces", "application/x-protobuf", null, new byte[0]).statusCode(),
          "others are still served");
    }
  }

  @Test
  void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (RunningSeam seam = RunningSeam.start("limits: {idle-timeout: 1s}")) {
      try (Socket socket = new Socket("127.0.0.1", seam.httpPort())) {
        socket.setSoTimeout(10_000);
        long started = System.nanoTime();
        assertEquals(-1, socket.getInputStream().read(), "the server closed the silent connection");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(seconds >= 0.9 && seconds < 5, "closed after about 1 s, not " + seconds + " s");
      }
      Scrape s = seam.awaitScrape(Duration.ofSeconds(1), x -> true);
      assertEquals(0, s.sum("seam_refused_requests_total"));
    }
  }
}
