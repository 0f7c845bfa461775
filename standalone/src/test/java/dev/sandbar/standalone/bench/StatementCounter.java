package dev.sandbar.standalone.bench;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Counts the SQL statements run through the system's Jdbi (every DAO of the API and the worker goes
 * through it) while installed: all of them, and those run by activities of the control queue (the
 * database activities), whose executor threads carry the queue's name.
 */
final class StatementCounter implements SqlLogger, AutoCloseable {

  private final SqlStatements statements;
  private final SqlLogger previous;
  private final AtomicInteger all = new AtomicInteger();
  private final AtomicInteger control = new AtomicInteger();

  private StatementCounter(SqlStatements statements) {
    this.statements = statements;
    this.previous = statements.getSqlLogger();
  }

  static StatementCounter install(Jdbi jdbi) {
    StatementCounter counter = new StatementCounter(jdbi.getConfig(SqlStatements.class));
    counter.statements.setSqlLogger(counter);
    return counter;
  }

  void reset() {
    all.set(0);
    control.set(0);
  }

  int allStatements() {
    return all.get();
  }

  int controlQueueStatements() {
    return control.get();
  }

  @Override
  public void logBeforeExecution(StatementContext context) {
    previous.logBeforeExecution(context);
    all.incrementAndGet();
    if (Thread.currentThread().getName().contains("sandbar-control")) {
      control.incrementAndGet();
    }
  }

  @Override
  public void logAfterExecution(StatementContext context) {
    previous.logAfterExecution(context);
  }

  @Override
  public void logException(StatementContext context, SQLException ex) {
    previous.logException(context, ex);
  }

  @Override
  public void close() {
    statements.setSqlLogger(previous);
  }
}
