package io.bullpen.redis.internal.worker;

import io.bullpen.Job;
import io.bullpen.event.WorkerListener;
import io.bullpen.observe.JobObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a worker's in-process events to its listeners. A listener that throws is logged and skipped, so it
 * can never break the worker; nothing is delivered after {@link #closed()}.
 */
final class WorkerEvents {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerEvents.class);

  private final List<WorkerListener> listeners = new CopyOnWriteArrayList<>();
  private final String queueName;
  private final JobObserver observer;
  private volatile boolean closed;

  public WorkerEvents(String queueName) {
    this(queueName, JobObserver.NONE);
  }

  /** Events whose stalled jobs are also told to {@code observer}. */
  public WorkerEvents(String queueName, JobObserver observer) {
    this.queueName = queueName;
    this.observer = observer;
  }

  public void add(WorkerListener listener) {
    listeners.add(listener);
  }

  public void remove(WorkerListener listener) {
    listeners.remove(listener);
  }

  public void active(Job job) {
    fire("active", l -> l.onActive(job));
  }

  public void progress(Job job, Object progress) {
    fire("progress", l -> l.onProgress(job, progress));
  }

  public void completed(Job job, Object result) {
    fire("completed", l -> l.onCompleted(job, result));
  }

  public void failed(Job job, Throwable error) {
    fire("failed", l -> l.onFailed(job, error));
  }

  /** Logs {@code error} and hands it to the listeners. */
  public void error(Throwable error) {
    if (closed) {
      LOG.debug("worker of queue {} (closed): {}", queueName, error.toString());
      return;
    }
    LOG.warn("worker of queue {}: {}", queueName, error.toString());
    fire("error", l -> l.onError(error));
  }

  public void drained() {
    fire("drained", WorkerListener::onDrained);
  }

  public void stalled(String jobId) {
    observer.jobStalled(queueName, jobId);
    fire("stalled", l -> l.onStalled(jobId));
  }

  /** Delivers {@code onClosed} once; later events are dropped. */
  public void closed() {
    if (closed) {
      return;
    }
    fire("closed", WorkerListener::onClosed);
    closed = true;
  }

  private void fire(String event, Consumer<WorkerListener> call) {
    if (closed) {
      return;
    }
    for (WorkerListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (Throwable t) {
        if (t instanceof VirtualMachineError vme) {
          throw vme;
        }
        LOG.warn("worker listener {} threw on {} (queue {}); ignored", listener, event, queueName, t);
      }
    }
  }
}
