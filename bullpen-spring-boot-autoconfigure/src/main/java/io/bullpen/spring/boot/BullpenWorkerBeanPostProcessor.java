package io.bullpen.spring.boot;

import io.bullpen.AsyncProcessor;
import io.bullpen.BatchProcessor;
import io.bullpen.InvalidOptionException;
import io.bullpen.Processor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.Environment;

/**
 * Finds {@link BullpenWorker} declarations as beans are initialised: annotated methods, and processor beans
 * annotated on their class or {@code @Bean} method. {@link BullpenWorkers} starts them once the context is up.
 */
public class BullpenWorkerBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware, EnvironmentAware {
  private final List<WorkerDefinition> found = new CopyOnWriteArrayList<>();
  private ListableBeanFactory beanFactory;
  private Environment environment;

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory instanceof ListableBeanFactory listable ? listable : null;
  }

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  /** The declarations found so far, in the order their beans were initialised. */
  public List<WorkerDefinition> definitions() {
    return List.copyOf(found);
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> type = AopUtils.getTargetClass(bean);
    if (!AnnotationUtils.isCandidateClass(type, BullpenWorker.class)) {
      return bean;
    }
    BullpenWorker onBean = beanAnnotation(bean, beanName, type);
    if (onBean != null) {
      found.add(definition(onBean, bean, beanName, 0 < onBean.batchSize()));
    }
    Map<Method, BullpenWorker> methods = MethodIntrospector.selectMethods(type,
        (MethodIntrospector.MetadataLookup<BullpenWorker>) method ->
            AnnotatedElementUtils.hasAnnotation(method, Bean.class) ? null
                : AnnotatedElementUtils.findMergedAnnotation(method, BullpenWorker.class));
    methods.forEach((method, annotation) -> {
      Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
      String source = beanName + "#" + method.getName();
      Object processor = MethodProcessors.processor(bean, invocable, annotation.batchSize() > 0, source);
      found.add(definition(annotation, processor, source, annotation.batchSize() > 0));
    });
    return bean;
  }

  /** The annotation on the bean's class or factory method, when the bean is a processor. */
  private BullpenWorker beanAnnotation(Object bean, String beanName, Class<?> type) {
    BullpenWorker annotation = null;
    if (beanFactory != null && beanFactory.containsBeanDefinition(beanName)) {
      try {
        annotation = beanFactory.findAnnotationOnBean(beanName, BullpenWorker.class);
      } catch (NoSuchBeanDefinitionException e) {
        annotation = null;
      }
    }
    if (annotation == null) {
      annotation = AnnotatedElementUtils.findMergedAnnotation(type, BullpenWorker.class);
    }
    if (annotation == null) {
      return null;
    }
    boolean processor = bean instanceof Processor || bean instanceof AsyncProcessor || bean instanceof BatchProcessor;
    if (!processor) {
      throw new InvalidOptionException("@BullpenWorker", beanName,
          "on a bean it needs the bean to be a Processor, AsyncProcessor or BatchProcessor; put it on a method of "
              + type.getName() + " instead");
    }
    if (annotation.batchSize() > 0 != bean instanceof BatchProcessor) {
      throw new InvalidOptionException("@BullpenWorker(batchSize)", annotation.batchSize(),
          "bean " + beanName + ": a BatchProcessor needs batchSize >= 1, and only a BatchProcessor takes one");
    }
    return annotation;
  }

  private WorkerDefinition definition(BullpenWorker annotation, Object processor, String source, boolean batch) {
    String queue = environment == null ? annotation.queue()
        : environment.resolveRequiredPlaceholders(annotation.queue());
    WorkerDefinition definition;
    try {
      if (batch) {
        definition = WorkerDefinition.batch(queue, (BatchProcessor) processor, annotation.batchSize());
        if (!annotation.batchMaxWait().isEmpty()) {
          definition = definition.withBatchMaxWait(parse(annotation.batchMaxWait(), source));
        }
      } else if (processor instanceof AsyncProcessor async) {
        definition = WorkerDefinition.async(queue, async);
      } else {
        definition = WorkerDefinition.of(queue, (Processor) processor);
      }
    } catch (InvalidOptionException e) {
      throw Props.renamed("@BullpenWorker on " + source, e.value(), e);
    }
    definition = definition.describedAs(source);
    if (annotation.concurrency() != 0) {
      definition = definition.withConcurrency(annotation.concurrency());
    }
    if (!annotation.name().isEmpty()) {
      definition = definition.withName(annotation.name());
    }
    return definition;
  }

  private static Duration parse(String text, String source) {
    try {
      return DurationStyle.detectAndParse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException("@BullpenWorker(batchMaxWait) on " + source, text,
          "must be a duration such as 20ms or PT0.02S");
    }
  }
}
