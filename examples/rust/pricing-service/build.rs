//! Generates the tonic server for `/pricing.v1.Pricing/Quote` without a .proto file and
//! without protoc: the request is wire-compatible with `google.protobuf.StringValue`
//! (field 1, string) and the response with `google.protobuf.DoubleValue` (field 1, double).
//! prost implements `Message` for `String` and `f64` with exactly that layout, which is
//! what the Go caller sends with `wrapperspb` types and no generated stubs.

fn main() {
    let pricing = tonic_build::manual::Service::builder()
        .name("Pricing")
        .package("pricing.v1")
        .method(
            tonic_build::manual::Method::builder()
                .name("quote")
                .route_name("Quote")
                .input_type("::std::string::String")
                .output_type("f64")
                .codec_path("::tonic_prost::ProstCodec")
                .build(),
        )
        .build();

    tonic_build::manual::Builder::new()
        .build_client(false)
        .build_transport(false)
        .compile(&[pricing]);
}
