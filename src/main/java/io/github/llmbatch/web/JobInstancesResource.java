package io.github.llmbatch.web;

import java.util.List;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code /api/jobinstances}: a job's instances, newest first, or the instance of one execution. */
@Path("jobinstances")
@Produces(MediaType.APPLICATION_JSON)
public class JobInstancesResource {

    @GET
    public JsonArray instances(@QueryParam("jobName") String jobName,
            @QueryParam("start") @DefaultValue("0") int start,
            @QueryParam("count") @DefaultValue("50") int count,
            @QueryParam("jobExecutionId") @DefaultValue("0") long executionId) {
        JobOperator operator = BatchRuntime.getJobOperator();
        JsonArrayBuilder instances = Json.createArrayBuilder();
        if (executionId != 0) {
            return instances.add(json(operator, operator.getJobInstance(executionId))).build();
        }
        if (jobName == null) {
            throw new InvalidRequestException("query parameter jobName or jobExecutionId is required");
        }
        List<JobInstance> found;
        try {
            found = operator.getJobInstances(jobName, start, count);
        } catch (NoSuchJobException e) {
            found = List.of();
        }
        found.forEach(instance -> instances.add(json(operator, instance)));
        return instances.build();
    }

    @GET
    @Path("count")
    public JsonValue count(@QueryParam("jobName") String jobName) {
        if (jobName == null) {
            throw new InvalidRequestException("query parameter jobName is required");
        }
        try {
            return Json.createValue(BatchRuntime.getJobOperator().getJobInstanceCount(jobName));
        } catch (NoSuchJobException e) {
            return Json.createValue(0);
        }
    }

    private static JsonObject json(JobOperator operator, JobInstance instance) {
        List<JobExecution> executions = operator.getJobExecutions(instance);
        long latest = executions.isEmpty() ? 0 : RestartParameters.newest(executions).getExecutionId();
        return ExecutionJson.of(instance, executions.size(), latest);
    }
}
