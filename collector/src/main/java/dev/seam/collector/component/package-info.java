/**
 * What every component's configuration shares: the {@link
 * dev.seam.collector.component.ComponentConfig} contract ({@code validate()}), the value types of
 * configuration files ({@link dev.seam.collector.component.Size}, durations written with a unit)
 * and the checks that name the offending key. It imports no other Seam package, so every component
 * and the configuration loader can depend on it without a cycle.
 */
package dev.seam.collector.component;
