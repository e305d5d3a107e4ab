package io.bullpen.cli.internal;

import io.bullpen.config.ConfigSection;
import io.bullpen.config.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code config show|check|keys}: the effective configuration. */
@Command(name = "config", description = "Show or check the effective configuration.",
    subcommands = {ConfigCommand.Show.class, ConfigCommand.Check.class, ConfigCommand.Keys.class})
public final class ConfigCommand {
  private ConfigCommand() {}

  @Command(name = "show", description = "Print the effective configuration (secrets masked) and where each value "
      + "came from.")
  public static final class Show extends BaseCommand {
    @Override
    protected int run() {
      Session s = session();
      if (s.out().json()) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ConfigSection<?> section : Session.SECTIONS) {
          for (Setting<?> setting : section.settings()) {
            rows.add(row(section, setting, s));
          }
        }
        s.out().value(rows);
      } else {
        s.out().out().print(s.config().describe());
        s.out().out().flush();
      }
      return ExitCodes.OK;
    }

    private static <T> Map<String, Object> row(ConfigSection<?> section, Setting<T> setting, Session s) {
      T value = s.config().values(section).get(setting);
      return Output.row("key", section.keyOf(setting), "value", value == null ? null : setting.show(value),
          "origin", s.config().values(section).origin(setting), "env", section.envName(setting));
    }
  }

  @Command(name = "check", description = "Load the configuration and report the first problem (exit code 5).")
  public static final class Check extends BaseCommand {
    @Override
    protected int run() {
      Session s = session();
      String file = s.config().file().map(Object::toString).orElse("no file (defaults and environment)");
      s.out().message("configuration OK: " + file, Output.row("ok", true, "file", file));
      return ExitCodes.OK;
    }
  }

  @Command(name = "keys", description = "List every key the CLI reads, its environment variable, type and default.")
  public static final class Keys extends BaseCommand {
    @Override
    protected int run() {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (ConfigSection<?> section : Session.SECTIONS) {
        for (Setting<?> setting : section.settings()) {
          rows.add(Output.row("key", section.keyOf(setting), "env", section.envName(setting), "type", setting.type(),
              "default", defaultOf(setting), "description", setting.doc()));
        }
      }
      out().table(rows);
      return ExitCodes.OK;
    }

    private static <T> String defaultOf(Setting<T> setting) {
      return setting.defaultValue().map(setting::show).orElse(null);
    }
  }
}
