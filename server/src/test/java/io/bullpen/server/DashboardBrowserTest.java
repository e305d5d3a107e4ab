package io.bullpen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.LeaseFailure;
import io.bullpen.redis.Queue;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven by Selenium signs in with a key, opens a queue,
 * refuses a wrong key, sees a job's progress and logs, retries a failed job and sees it move. Screenshots go to
 * {@code target/screenshots/}. Skipped only when Chromium is missing and {@code BULLPEN_REQUIRE_BROWSER} is unset.
 */
@RedisTest
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SHOTS = Path.of("target", "screenshots");

  private TestServer t;
  private WebDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void start(RunningRedis redis) throws IOException {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      String required = System.getenv("BULLPEN_REQUIRE_BROWSER");
      if (required != null && !required.isEmpty()) {
        fail("BULLPEN_REQUIRE_BROWSER is set but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing "
            + "(apt-get install -y chromium chromium-driver)");
      }
      assumeTrue(false, "no Chromium: apt-get install -y chromium chromium-driver");
    }
    Files.createDirectories(SHOTS);
    t = new TestServer(redis);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1400,1000");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (t != null) {
      t.close();
    }
  }

  private void screenshot(String name) throws IOException {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve(name + ".png"), png);
  }

  private WebElement visible(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  @Test
  void refusesAWrongKeySignsInSeesCountsOpensAJobAndRetriesIt() throws IOException {
    Queue shop = t.queue("shop");
    Job running = shop.add("resize", Map.of("image", "cat.png"), JobOptions.builder().attempts(1).build());
    Job broken = shop.add("charge", Map.of("order", 42), JobOptions.builder().attempts(1).build());
    shop.leases().claim("browser-test", Duration.ofMinutes(5), 2);
    shop.updateJobProgress(running.id(), 40);
    shop.addJobLog(running.id(), "downloaded cat.png", 0);
    shop.addJobLog(running.id(), "resizing to 200x200", 0);
    shop.leases().fail("browser-test", List.of(LeaseFailure.of(broken.id(), new IllegalStateException("card declined"))));
    for (int i = 0; i < 3; i++) {
      shop.add("later" + i, Map.of("i", i));
    }

    browser.get(t.server.uri() + "/");
    visible(By.id("key")).sendKeys("bp_0000000000000000_wrongwrongwrongwrongwrongwrongwrongwrongwro");
    browser.findElement(By.id("sign-in")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "refused"));
    screenshot("0-wrong-key");
    browser.findElement(By.id("key")).clear();
    browser.findElement(By.id("key")).sendKeys(t.adminKey);
    browser.findElement(By.id("sign-in")).click();
    By failedCount = By.cssSelector("tr[data-queue='shop'] td[data-count='failed']");
    wait.until(ExpectedConditions.textToBe(failedCount, "1"));
    assertEquals("3", browser.findElement(By.cssSelector("tr[data-queue='shop'] td[data-count='waiting']")).getText());
    assertEquals("1", browser.findElement(By.cssSelector("tr[data-queue='shop'] td[data-count='active']")).getText());
    screenshot("1-queues");

    browser.findElement(By.linkText("shop")).click();
    visible(By.cssSelector("a[data-state='active']")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-job='" + running.id() + "'] a")))
        .click();
    wait.until(ExpectedConditions.textToBe(By.id("progress-text"), "40%"));
    assertTrue(browser.findElement(By.id("job-logs")).getText().contains("resizing to 200x200"));
    assertTrue(browser.findElement(By.id("job-data")).getText().contains("cat.png"));
    screenshot("2-job-progress-and-logs");

    browser.get(t.server.uri() + "/#/queue/shop/failed");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-job='" + broken.id() + "'] a")))
        .click();
    wait.until(ExpectedConditions.textToBe(By.id("job-state"), "failed"));
    assertEquals("card declined", browser.findElement(By.id("failed-reason")).getText());
    assertTrue(browser.findElement(By.id("stacktrace")).getText().contains("IllegalStateException"));
    screenshot("3-failed-job");

    browser.findElement(By.cssSelector("button[data-action='Retry']")).click();
    visible(By.cssSelector("button[data-confirm='Retry']")).click();
    wait.until(ExpectedConditions.textToBe(By.id("job-state"), "waiting"));
    assertEquals(JobState.WAITING, shop.getJobState(broken.id()));
    screenshot("4-retried-job");

    browser.get(t.server.uri() + "/#/");
    wait.until(ExpectedConditions.textToBe(failedCount, "0"));
    wait.until(ExpectedConditions.textToBe(By.cssSelector("tr[data-queue='shop'] td[data-count='waiting']"), "4"));
    screenshot("5-queues-after-retry");
  }
}
