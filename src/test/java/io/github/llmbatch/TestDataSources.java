package io.github.llmbatch;

import io.github.llmbatch.wildfly.PostgresDatabase;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** DataSources for tests that need a real database: the local PostgreSQL, or an in-memory H2. */
public final class TestDataSources {

    private static final AtomicInteger H2_NAMES = new AtomicInteger();

    private TestDataSources() {
    }

    public static DataSource postgres(PostgresDatabase database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(database.jdbcUrl());
        dataSource.setUser(database.user());
        dataSource.setPassword(database.password());
        return dataSource;
    }

    /** A fresh in-memory H2 database that lives until the JVM ends. */
    public static DataSource h2() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:test" + H2_NAMES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        return dataSource;
    }
}
