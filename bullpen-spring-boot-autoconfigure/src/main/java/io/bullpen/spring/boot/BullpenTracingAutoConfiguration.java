package io.bullpen.spring.boot;

import io.bullpen.opentelemetry.BullpenTracing;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Bullpen's spans, where queue-opentelemetry is on the class path and the application has an {@link OpenTelemetry}
 * bean (Boot's own OpenTelemetry support or one of the application's): a {@link BullpenTracing} bean, which, being
 * a {@code JobObserver}, traces every queue's adds and every worker's jobs, with the context carried in the job's
 * {@code opts.tm} as BullMQ's telemetry does. {@code bullpen.tracing.enabled=false} turns it off.
 */
@AutoConfiguration(before = BullpenAutoConfiguration.class,
    afterName = "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration")
@ConditionalOnClass({BullpenTracing.class, OpenTelemetry.class})
@ConditionalOnBean(OpenTelemetry.class)
@ConditionalOnProperty(prefix = "bullpen.tracing", name = "enabled", havingValue = "true", matchIfMissing = true)
public class BullpenTracingAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean
  public BullpenTracing bullpenTracing(OpenTelemetry openTelemetry) {
    return BullpenTracing.create(openTelemetry);
  }
}
