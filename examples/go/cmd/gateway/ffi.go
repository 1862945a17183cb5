package main

// The Rust static library (examples/rust/pricing-ffi) is linked through cgo.
// Only the header location is fixed here; where the archive lives is a build
// concern, so the link flags come from the environment, e.g.
//
//	CGO_LDFLAGS="-L/root/.cache/seam/cargo-target/release -lpricing_ffi -ldl -lm -lpthread"

/*
#cgo CFLAGS: -I${SRCDIR}/../../../rust/pricing-ffi/include
#include <stdlib.h>
#include "pricing_ffi.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"
)

// Return codes of pricing_ffi_quote.
const (
	ffiOK          = 0
	ffiUnavailable = 1
	ffiBadInput    = 2
	ffiInternal    = 3 // a Rust panic, caught at the boundary
)

var (
	errFFIUnavailable = errors.New("pricing_ffi: backend unavailable")
	errFFIBadInput    = errors.New("pricing_ffi: bad input")
	errFFIInternal    = errors.New("pricing_ffi: internal error")
)

// ffiInit initialises the library's own telemetry pipeline (it exports over
// OTLP/HTTP to endpoint under the given service name).
func ffiInit(endpoint, service string) error {
	cEndpoint := C.CString(endpoint)
	defer C.free(unsafe.Pointer(cEndpoint))
	cService := C.CString(service)
	defer C.free(unsafe.Pointer(cService))
	if rc := C.pricing_ffi_init(cEndpoint, cService); rc != 0 {
		return fmt.Errorf("pricing_ffi_init returned %d", int(rc))
	}
	return nil
}

// ffiQuote prices itemID in-process. traceparent is the W3C header value of
// the caller's span, or "" when there is none (never NULL).
func ffiQuote(traceparent, itemID string) (float64, error) {
	cTraceparent := C.CString(traceparent)
	defer C.free(unsafe.Pointer(cTraceparent))
	cItem := C.CString(itemID)
	defer C.free(unsafe.Pointer(cItem))

	var price C.double
	switch rc := C.pricing_ffi_quote(cTraceparent, cItem, &price); rc {
	case ffiOK:
		return float64(price), nil
	case ffiUnavailable:
		return 0, errFFIUnavailable
	case ffiBadInput:
		return 0, errFFIBadInput
	case ffiInternal:
		return 0, errFFIInternal
	default:
		return 0, fmt.Errorf("pricing_ffi: unexpected return code %d", int(rc))
	}
}

func ffiShutdown() {
	C.pricing_ffi_shutdown()
}
