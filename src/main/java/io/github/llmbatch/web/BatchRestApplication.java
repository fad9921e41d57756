package io.github.llmbatch.web;

import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The batch REST API under {@code /api} of the WAR: {@code POST /api/jobs/{job}/start},
 * {@code GET /api/jobexecutions/{id}}, {@code POST /api/jobexecutions/{id}/stop},
 * {@code .../restart}, {@code .../cancel}, the step executions and the listings. Plain
 * Jakarta REST and JSON-P on the standard {@code JobOperator}, so it behaves the same on every
 * runtime (JBeret, JBatch, Open Liberty); the paths and field names are those of JBeret's REST
 * API, which it replaced. Who may call it is the web container's business: WEB-INF/web.xml.
 */
@ApplicationPath("/api")
public class BatchRestApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(
                JobsResource.class,
                JobExecutionsResource.class,
                JobInstancesResource.class,
                BatchErrorMapper.class,
                InvalidRequestMapper.class);
    }
}
