package io.bullpen.spring.boot;

import io.bullpen.redis.Queue;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * One {@link Queue} bean per {@code bullpen.queues.<name>}, named {@code <name>Queue} and qualified by the queue's
 * name ({@code @Qualifier("emails") Queue emails}). The beans are views of {@link Queues}, which closes them. A
 * bean of that name the application defines itself is left alone.
 */
class QueueBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {
  private Environment environment;
  private BeanFactory beanFactory;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    Map<String, QueueProperties> configured = Binder.get(environment)
        .bind("bullpen.queues", Bindable.mapOf(String.class, QueueProperties.class))
        .orElse(Map.of());
    for (String name : configured.keySet()) {
      String beanName = beanName(name);
      if (registry.containsBeanDefinition(beanName)) {
        continue;
      }
      RootBeanDefinition definition = new RootBeanDefinition(Queue.class,
          () -> beanFactory.getBean(Queues.class).get(name));
      definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
      // Queues closes it: "" stops Spring from inferring close() for an AutoCloseable bean.
      definition.setDestroyMethodName("");
      registry.registerBeanDefinition(beanName, definition);
    }
  }

  /** {@code emails} → {@code emailsQueue}. */
  static String beanName(String queueName) {
    return queueName + "Queue";
  }
}
