package dev.seam.collector.model;

/** Which protocol a span's attributes name, before the pairing decides the boundary's transport. */
public enum ProtocolHint {
  NONE,
  HTTP,
  GRPC,
  /** An rpc.system other than gRPC (connect, jsonrpc, ...). */
  OTHER_RPC,
  MESSAGING,
  /** A database client span: its callee is a database, never a Go or Rust service. */
  DATABASE
}
