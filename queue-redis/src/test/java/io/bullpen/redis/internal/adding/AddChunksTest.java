package io.bullpen.redis.internal.adding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.JobOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bulk adds are cut into calls of at most the chunk size in jobs and 4 MiB in data, in order. */
class AddChunksTest {
  private static JobAdder.Prepared job(int dataChars) {
    return new JobAdder.Prepared("", JobOptions.defaults(), Map.of("name", "j", "data", "x".repeat(dataChars)));
  }

  private static List<Integer> sizes(List<List<JobAdder.Prepared>> chunks) {
    return chunks.stream().map(List::size).toList();
  }

  @Test
  void chunksHoldAtMostTheChunkSizeInJobs() {
    List<JobAdder.Prepared> jobs = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      jobs.add(job(10));
    }
    List<List<JobAdder.Prepared>> chunks = new AddChunks(1000).split(jobs);
    assertEquals(List.of(1000, 1000, 500), sizes(chunks));
    assertEquals(jobs, chunks.stream().flatMap(List::stream).toList());
  }

  @Test
  void chunksHoldAtMostFourMebibytesAndALargerJobGoesAlone() {
    int mib = 1024 * 1024;
    List<JobAdder.Prepared> jobs = List.of(job(mib), job(mib), job(mib), job(mib), job(5 * mib), job(10));
    assertEquals(List.of(3, 1, 1, 1), sizes(new AddChunks(1000).split(jobs)));
  }

  @Test
  void noJobsNoChunks() {
    assertEquals(List.of(), new AddChunks(1).split(List.of()));
  }
}
