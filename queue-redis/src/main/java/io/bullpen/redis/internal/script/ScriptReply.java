package io.bullpen.redis.internal.script;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The reply of a Lua script as plain Java values: Long, String, null, or (nested) Lists of those. Lettuce's own
 * ObjectOutput only copes with array replies (a bare integer comes back wrapped in a list, a bare string fails),
 * and scripts here return both.
 */
final class ScriptReply extends CommandOutput<String, String, Object> {
  private final Deque<List<Object>> open = new ArrayDeque<>();

  ScriptReply() {
    super(StringCodec.UTF8, null);
  }

  @Override
  public void set(ByteBuffer bytes) {
    add(bytes == null ? null : codec.decodeValue(bytes));
  }

  @Override
  public void setSingle(ByteBuffer bytes) {
    set(bytes);
  }

  @Override
  public void set(long value) {
    add(value);
  }

  @Override
  public void set(double value) {
    add(value);
  }

  @Override
  public void set(boolean value) {
    add(value);
  }

  @Override
  public void multi(int count) {
    List<Object> list = new ArrayList<>(Math.max(count, 0));
    add(list);
    open.push(list);
  }

  /** Lettuce reports how many arrays are still open after each element; close the finished ones. */
  @Override
  public void complete(int depth) {
    while (open.size() > depth) {
      open.pop();
    }
  }

  private void add(Object value) {
    if (open.isEmpty()) {
      output = value;
    } else {
      open.peek().add(value);
    }
  }
}
