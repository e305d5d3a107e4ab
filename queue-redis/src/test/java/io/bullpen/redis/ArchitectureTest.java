package io.bullpen.redis;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The package and module boundaries of Bullpen, checked on the compiled main classes of every module on this
 * module's test class path (queue-api, queue-scheduler, queue-redis, queue-testkit). Test classes are left out:
 * tests may reach into internals on purpose.
 *
 * <p>The layering of {@code io.bullpen.redis.internal} is written down here and in that package's
 * {@code package-info.java}; change both together.
 */
@AnalyzeClasses(packages = "io.bullpen", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String INTERNAL = "io.bullpen.redis.internal.";

  // The value types of the API package that internals may take as arguments: connection settings, worker
  // options and pass-through JSON. Everything else in io.bullpen.redis is an entry class wiring the internals
  // together, which the internals must never call back into.
  // The values reach down in two places: the options classes check prefixes with keys.QueueKeys (one rule, one
  // home), and RawJson checks its text with codec.Json's mapper while Json passes RawJson through. The latter is
  // the one package cycle left (io.bullpen.redis <-> internal.codec), accepted: both sides are a few lines and
  // RawJson is public API that must validate where it is built.
  private static final DescribedPredicate<JavaClass> API_VALUES =
      resideInAPackage("io.bullpen.redis")
          .and(nameMatching("io\\.bullpen\\.redis\\.(RawJson|RedisConfig|WorkerHealth|\\w+Options)(\\$.*)?"))
          .as("value types of io.bullpen.redis (RawJson, RedisConfig, WorkerHealth, *Options)");
  // The connector is a resource the options name so that objects built from them share it; the values hold it and
  // hand it on, while it opens connections through the connection layer, like an entry class.
  private static final DescribedPredicate<JavaClass> API_CONNECTOR =
      resideInAPackage("io.bullpen.redis").and(nameMatching("io\\.bullpen\\.redis\\.RedisConnector(\\$.*)?"))
          .as("io.bullpen.redis.RedisConnector");
  private static final DescribedPredicate<JavaClass> API_ENTRIES =
      resideInAPackage("io.bullpen.redis").and(not(API_VALUES)).and(not(API_CONNECTOR))
          .as("entry classes of io.bullpen.redis (Queue, Worker, BatchWorker, QueueEvents, FlowProducer, ...)");

  // Tiers from the bottom up. Above the bottom tier a layer may use the API values and every layer of the tiers
  // below its own, never one of its own tier (the features stay independent of each other) and never one above.
  // The bottom packages use none of each other.
  private static final String[] BOTTOM = {"keys", "codec", "connection", "observe"};
  private static final String[] SCRIPT = {"script"};
  private static final String[] JOB = {"job"};
  private static final String[] FEATURES = {"adding", "reading", "admin", "scheduling", "events", "settle",
      "integrity"};
  private static final String[] LEASE = {"lease"};
  private static final String[] WORKER = {"worker"};
  private static final String VALUES = "values";

  private static final SliceAssignment MODULES = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String pkg = javaClass.getPackageName();
      if (within(pkg, "io.bullpen.redis")) {
        return SliceIdentifier.of("queue-redis");
      }
      if (within(pkg, "io.bullpen.scheduler")) {
        return SliceIdentifier.of("queue-scheduler");
      }
      if (within(pkg, "io.bullpen.testkit")) {
        return SliceIdentifier.of("queue-testkit");
      }
      if (within(pkg, "io.bullpen")) {
        return SliceIdentifier.of("queue-api");
      }
      return SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "Bullpen's modules";
    }
  };

  @ArchTest
  static final ArchRule internalPackagesHaveNoCycles =
      slices().matching("io.bullpen.redis.internal.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule internalPackagesAreLayered = layeredArchitecture()
      .consideringOnlyDependenciesInLayers()
      .layer("api").definedBy(API_ENTRIES)
      .layer(VALUES).definedBy(API_VALUES)
      .layer("connector").definedBy(API_CONNECTOR)
      .layer("keys").definedBy(INTERNAL + "keys..")
      .layer("codec").definedBy(INTERNAL + "codec..")
      .layer("connection").definedBy(INTERNAL + "connection..")
      .layer("observe").definedBy(INTERNAL + "observe..")
      .layer("script").definedBy(INTERNAL + "script..")
      .layer("job").definedBy(INTERNAL + "job..")
      .layer("adding").definedBy(INTERNAL + "adding..")
      .layer("reading").definedBy(INTERNAL + "reading..")
      .layer("admin").definedBy(INTERNAL + "admin..")
      .layer("scheduling").definedBy(INTERNAL + "scheduling..")
      .layer("events").definedBy(INTERNAL + "events..")
      .layer("settle").definedBy(INTERNAL + "settle..")
      .layer("integrity").definedBy(INTERNAL + "integrity..")
      .layer("lease").definedBy(INTERNAL + "lease..")
      .layer("worker").definedBy(INTERNAL + "worker..")
      .whereLayer("api").mayNotBeAccessedByAnyLayer()
      // See API_VALUES for why the values reach down into keys and codec.
      .whereLayer(VALUES).mayOnlyAccessLayers("keys", "codec", "connector")
      .whereLayer("connector").mayOnlyAccessLayers(VALUES, "connection")
      .whereLayer("keys").mayNotAccessAnyLayer()
      .whereLayer("codec").mayOnlyAccessLayers(VALUES)
      .whereLayer("connection").mayOnlyAccessLayers(VALUES)
      .whereLayer("observe").mayNotAccessAnyLayer()
      .whereLayer("script").mayOnlyAccessLayers(below(SCRIPT))
      .whereLayer("job").mayOnlyAccessLayers(below(JOB))
      .whereLayer("adding").mayOnlyAccessLayers(below(FEATURES))
      .whereLayer("reading").mayOnlyAccessLayers(below(FEATURES))
      .whereLayer("admin").mayOnlyAccessLayers(below(FEATURES))
      .whereLayer("scheduling").mayOnlyAccessLayers(below(FEATURES))
      .whereLayer("events").mayOnlyAccessLayers(below(FEATURES))
      .whereLayer("settle").mayOnlyAccessLayers(below(FEATURES))
      .whereLayer("integrity").mayOnlyAccessLayers(below(FEATURES))
      .whereLayer("lease").mayOnlyAccessLayers(below(LEASE))
      .whereLayer("worker").mayOnlyAccessLayers(below(WORKER))
      // A new internal package must be given a layer here before it can be used.
      .ensureAllClassesAreContainedInArchitectureIgnoring(
          resideOutsideOfPackage("io.bullpen.redis..").or(simpleName("package-info")));

  @ArchTest
  static final ArchRule apiDependsOnNoImplementation = noClasses()
      .that(resideInAPackage("io.bullpen..").and(not(resideInAnyPackage(
          "io.bullpen.redis..", "io.bullpen.scheduler..", "io.bullpen.testkit.."))))
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.bullpen.redis..", "io.bullpen.scheduler..", "io.bullpen.testkit..",
          "io.lettuce..", "..redis..", "org.redisson..")
      .as("queue-api depends on no storage, no scheduler and no Redis client");

  @ArchTest
  static final ArchRule schedulerDependsOnNoRedis = noClasses()
      .that().resideInAPackage("io.bullpen.scheduler..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.bullpen.redis..", "io.bullpen.testkit..", "io.lettuce..", "..redis..", "org.redisson..")
      .as("queue-scheduler knows no Redis");

  @ArchTest
  static final ArchRule testkitDependsOnNoBullpen = noClasses()
      .that().resideInAPackage("io.bullpen.testkit..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.bullpen", "io.bullpen.event..", "io.bullpen.scheduler..", "io.bullpen.redis..")
      // Lettuce drives its Cluster and Sentinel fixtures (README, package-info); no Bullpen type does.
      .as("the test kit uses no Bullpen module, so any module's tests can use it");

  @ArchTest
  static final ArchRule modulesHaveNoCycles = slices().assignedFrom(MODULES).should().beFreeOfCycles();

  @ArchTest
  static final ArchRule redisInternalsStayInQueueRedis = noClasses()
      .that().resideOutsideOfPackage("io.bullpen.redis..")
      .should().dependOnClassesThat().resideInAPackage("io.bullpen.redis.internal..")
      .as("only queue-redis uses io.bullpen.redis.internal");

  // Mirrors queue-scheduler's qualified export of its internal package to queue-redis, narrowed to the one
  // package of queue-redis that computes run times.
  @ArchTest
  static final ArchRule schedulerInternalsServeOnlyTheSchedulerAndTheRedisStore = classes()
      .that().resideInAPackage("io.bullpen.scheduler.internal..")
      .should().onlyHaveDependentClassesThat().resideInAnyPackage(
          "io.bullpen.scheduler..", INTERNAL + "scheduling..");

  private static boolean within(String pkg, String root) {
    return pkg.equals(root) || pkg.startsWith(root + ".");
  }

  /** The layers a layer of {@code tier} may use: those of every tier below it, and the API's value types. */
  private static String[] below(String[] tier) {
    String[][] tiers = {BOTTOM, SCRIPT, JOB, FEATURES, LEASE, WORKER};
    Stream<String> allowed = Stream.of(VALUES);
    for (String[] lower : tiers) {
      if (lower == tier) {
        return allowed.toArray(String[]::new);
      }
      allowed = Stream.concat(allowed, Arrays.stream(lower));
    }
    throw new IllegalArgumentException("not a tier: " + Arrays.toString(tier));
  }
}
