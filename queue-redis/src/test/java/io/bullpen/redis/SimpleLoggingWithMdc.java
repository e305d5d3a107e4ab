package io.bullpen.redis;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * slf4j-simple with a working MDC (its own adapter drops every value), so that tests can see the MDC keys the
 * worker sets around processor calls. Chosen with {@code -Dslf4j.provider} in this module's test plugins.
 */
public class SimpleLoggingWithMdc extends SimpleServiceProvider {
  private final MDCAdapter mdc = new BasicMDCAdapter();

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }
}
