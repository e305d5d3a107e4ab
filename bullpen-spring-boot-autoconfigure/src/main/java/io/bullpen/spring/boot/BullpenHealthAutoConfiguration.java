package io.bullpen.spring.boot;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code bullpen} health indicator, where Spring Boot's health support is on the class path (the actuator
 * brings it). {@code management.health.bullpen.enabled=false} turns it off.
 */
@AutoConfiguration(after = BullpenAutoConfiguration.class)
@ConditionalOnClass(AbstractHealthIndicator.class)
@ConditionalOnBean({Queues.class, BullpenWorkers.class})
@ConditionalOnEnabledHealthIndicator("bullpen")
public class BullpenHealthAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean(name = "bullpenHealthIndicator")
  public BullpenHealthIndicator bullpenHealthIndicator(Queues queues, BullpenWorkers workers,
      BullpenProperties properties) {
    return new BullpenHealthIndicator(queues, workers, properties.getHealth());
  }
}
