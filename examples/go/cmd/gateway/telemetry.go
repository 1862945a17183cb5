package main

import (
	"context"
	"errors"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/runtime"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploggrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/log/global"
	"go.opentelemetry.io/otel/propagation"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// telemetry holds the SDK providers so that main can flush and stop them in
// order on shutdown.
type telemetry struct {
	tp *sdktrace.TracerProvider
	lp *sdklog.LoggerProvider
	mp *sdkmetric.MeterProvider
}

// setupTelemetry builds the OpenTelemetry SDK the usual way: OTLP/gRPC
// exporters for traces, logs and metrics, all configured from the standard
// OTEL_* environment variables (endpoint, headers, insecure for http://,
// OTEL_BSP_SCHEDULE_DELAY, OTEL_BLRP_SCHEDULE_DELAY,
// OTEL_METRIC_EXPORT_INTERVAL, ...), and installs them as the global
// providers together with the W3C TraceContext + Baggage propagator.
func setupTelemetry(ctx context.Context) (*telemetry, error) {
	res, err := resource.New(ctx,
		// Default name, overridden by OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES.
		resource.WithAttributes(semconv.ServiceName(serviceName)),
		resource.WithFromEnv(),
		resource.WithTelemetrySDK(),
		resource.WithHost(),
		resource.WithProcessPID(),
	)
	if err != nil {
		// Partial resources are still usable; report and go on.
		otel.Handle(err)
		if res == nil {
			return nil, err
		}
	}

	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{},
		propagation.Baggage{},
	))

	traceExp, err := otlptracegrpc.New(ctx)
	if err != nil {
		return nil, err
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(traceExp),
		sdktrace.WithResource(res),
	)
	otel.SetTracerProvider(tp)

	logExp, err := otlploggrpc.New(ctx)
	if err != nil {
		return nil, errors.Join(err, tp.Shutdown(ctx))
	}
	lp := sdklog.NewLoggerProvider(
		sdklog.WithProcessor(sdklog.NewBatchProcessor(logExp)),
		sdklog.WithResource(res),
	)
	global.SetLoggerProvider(lp)

	metricExp, err := otlpmetricgrpc.New(ctx)
	if err != nil {
		return nil, errors.Join(err, tp.Shutdown(ctx), lp.Shutdown(ctx))
	}
	mp := sdkmetric.NewMeterProvider(
		sdkmetric.WithReader(sdkmetric.NewPeriodicReader(metricExp)),
		sdkmetric.WithResource(res),
	)
	otel.SetMeterProvider(mp)

	t := &telemetry{tp: tp, lp: lp, mp: mp}
	if err := runtime.Start(runtime.WithMeterProvider(mp)); err != nil {
		return nil, errors.Join(err, t.shutdown(ctx))
	}
	return t, nil
}

// shutdown flushes and stops the tracer, logger and meter providers, in that
// order, so that spans and the logs that refer to them leave before the
// process exits.
func (t *telemetry) shutdown(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return errors.Join(
		t.tp.ForceFlush(ctx), t.tp.Shutdown(ctx),
		t.lp.ForceFlush(ctx), t.lp.Shutdown(ctx),
		t.mp.ForceFlush(ctx), t.mp.Shutdown(ctx),
	)
}
