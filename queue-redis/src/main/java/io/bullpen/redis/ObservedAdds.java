package io.bullpen.redis;

import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.observe.AddObservation;
import io.bullpen.observe.JobAdd;
import io.bullpen.observe.JobObserver;
import io.bullpen.redis.internal.codec.TelemetryMetadata;
import io.bullpen.redis.internal.script.Call;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A queue's adds as its observers see them: each add call is announced before it is sent, each job gets the
 * propagation headers the observers give it as {@code opts.tm} (unless its options carry their own or omit the
 * context, as with BullMQ's telemetry), and the call's end is reported. Without observers it does nothing.
 */
final class ObservedAdds {
  private final JobObserver observer;
  private final String queueName;
  private final JobOptions defaults;

  ObservedAdds(JobObserver observer, String queueName, JobOptions defaults) {
    this.observer = observer;
    this.queueName = queueName;
    this.defaults = defaults;
  }

  /** The jobs to send, with their headers, and the add's observation. */
  record Started(List<JobSpec> specs, AddObservation observation) {
    /** {@code call} reporting its end to the observation. */
    <T> Call<T> observed(Call<T> call, Function<T, List<String>> ids) {
      if (observation == AddObservation.NONE) {
        return call;
      }
      return call.onSuccess(value -> observation.added(ids.apply(value))).onFailure(observation::failed);
    }
  }

  Started start(List<JobSpec> specs) {
    if (observer == JobObserver.NONE) {
      return new Started(specs, AddObservation.NONE);
    }
    List<JobAdd> adds = new ArrayList<>(specs.size());
    List<JobOptions> merged = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      JobSpec spec = specs.get(i);
      // A null spec or name is refused by the adder with a message naming the field; observers see what exists.
      JobOptions options = spec == null || spec.options() == null ? defaults : spec.options().withDefaults(defaults);
      merged.add(options);
      adds.add(new JobAdd(i, spec == null ? null : spec.name(), options));
    }
    AddObservation observation = observer.addStarting(queueName, List.copyOf(adds));
    if (observation == AddObservation.NONE) {
      return new Started(specs, observation);
    }
    List<JobSpec> out = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      JobSpec spec = specs.get(i);
      JobOptions options = merged.get(i);
      Map<String, String> headers = spec == null || options.omitContext() || options.telemetryMetadata().isPresent()
          ? Map.of() : observation.propagationHeaders(i);
      if (headers.isEmpty()) {
        out.add(spec);
      } else {
        JobOptions.Builder b = spec.options() == null ? JobOptions.builder() : spec.options().toBuilder();
        out.add(new JobSpec(spec.name(), spec.data(), b.telemetryMetadata(TelemetryMetadata.toJson(headers)).build()));
      }
    }
    return new Started(out, observation);
  }
}
