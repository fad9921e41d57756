package io.github.llmbatch.job;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The datasources that job parameters name: in a server a JNDI name such as
 * {@code java:jboss/datasources/LlmBatchDS}; on Java SE, where there is no JNDI, a JDBC URL
 * ({@code jdbc:postgresql://host/db?user=…&password=…}) whose driver is on the class path.
 */
final class DataSources {

    private DataSources() {
    }

    static DataSource lookup(String name) {
        if (name.startsWith("jdbc:")) {
            return new DriverManagerDataSource(name);
        }
        Object found;
        try {
            found = new InitialContext().lookup(name);
        } catch (NamingException e) {
            throw new IllegalArgumentException("no datasource '" + name + "' in JNDI (" + e.getMessage()
                    + "); outside a server give a jdbc: URL instead", e);
        }
        if (!(found instanceof DataSource dataSource)) {
            throw new IllegalArgumentException("'" + name + "' in JNDI is a " + found.getClass().getName()
                    + ", not a DataSource");
        }
        return dataSource;
    }
}
