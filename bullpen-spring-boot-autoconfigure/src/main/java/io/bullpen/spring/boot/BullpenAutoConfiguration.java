package io.bullpen.spring.boot;

import io.bullpen.observe.JobObserver;
import io.bullpen.redis.Queue;
import io.bullpen.redis.RedisConnector;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Bullpen in a Spring Boot application: the shared {@link RedisConnector}, the {@link Queues} registry with a
 * {@link Queue} bean per configured queue, and the {@link BullpenWorker} workers, run with the context. Every bean
 * backs off when the application defines its own. Every {@link JobObserver} bean (Bullpen's metrics, tracing, or
 * the application's own) observes every queue and worker. {@code bullpen.enabled=false} turns it all off.
 */
@AutoConfiguration
@ConditionalOnClass(Queue.class)
@ConditionalOnProperty(prefix = "bullpen", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(BullpenProperties.class)
@Import(QueueBeanRegistrar.class)
public class BullpenAutoConfiguration {
  /** The connector the starter creates, and so closes with the context; one the application defines stays its own. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public RedisConnector bullpenRedisConnector(BullpenProperties properties) {
    return RedisConnector.create(properties.getRedis().toRedisConfig());
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Queues bullpenQueues(RedisConnector connector, BullpenProperties properties,
      ObjectProvider<JobObserver> observers) {
    return new Queues(connector, properties, observers.orderedStream().toList());
  }

  @Bean
  @ConditionalOnMissingBean
  public static BullpenWorkerBeanPostProcessor bullpenWorkerBeanPostProcessor() {
    return new BullpenWorkerBeanPostProcessor();
  }

  @Bean
  @ConditionalOnMissingBean
  public BullpenWorkers bullpenWorkers(RedisConnector connector, BullpenProperties properties,
      ObjectProvider<BullpenWorkerBeanPostProcessor> annotated, ObjectProvider<WorkerDefinition> declared,
      ObjectProvider<JobObserver> observers) {
    return new BullpenWorkers(connector, properties, () -> {
      List<WorkerDefinition> all = new ArrayList<>();
      annotated.orderedStream().forEach(processor -> all.addAll(processor.definitions()));
      declared.orderedStream().forEach(all::add);
      return all;
    }, observers.orderedStream().toList());
  }
}
