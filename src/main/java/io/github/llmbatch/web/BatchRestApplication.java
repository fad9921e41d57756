package io.github.llmbatch.web;

import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.jberet.rest.resource.JobExecutionResource;
import org.jberet.rest.resource.JobInstanceResource;
import org.jberet.rest.resource.JobResource;

/**
 * Serves JBeret's REST API (org.jberet:jberet-rest-api) under {@code /api} of the WAR:
 * {@code POST /api/jobs/{job}/start}, {@code GET /api/jobexecutions/{id}},
 * {@code POST /api/jobexecutions/{id}/restart}, {@code POST /api/jobexecutions/{id}/stop}
 * and the listings beside them. The resources only call the standard {@code JobOperator}.
 *
 * <p>The classes are listed rather than scanned so that JBeret's schedule resource
 * ({@code /api/schedules}) stays out (scheduling is not part of this application), and so
 * that {@link BatchErrorMapper} answers errors instead of JBeret's mapper.
 */
@ApplicationPath("/api")
public class BatchRestApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(
                JobResource.class,
                JobExecutionResource.class,
                JobInstanceResource.class,
                BatchErrorMapper.class);
    }
}
