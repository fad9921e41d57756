package io.github.llmbatch.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.batch.runtime.StepExecution;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** {@code /api/jobexecutions}: one execution, its steps, and what can be done to it. */
@Path("jobexecutions")
@Produces(MediaType.APPLICATION_JSON)
public class JobExecutionsResource {

    /** The job that cancels an instance's provider batches; it takes the execution's id. */
    static final String CANCEL_JOB = "llm-batch-cancel";

    /**
     * The newest executions, newest first: of one instance ({@code jobInstanceId}), or of every
     * job the runtime names.
     */
    @GET
    public JsonArray executions(@QueryParam("jobInstanceId") @DefaultValue("0") long instanceId,
            @QueryParam("count") @DefaultValue("50") int count) {
        JobOperator operator = BatchRuntime.getJobOperator();
        List<JobInstance> instances = new ArrayList<>();
        for (String name : operator.getJobNames()) {
            for (JobInstance instance : instancesOf(operator, name, instanceId == 0 ? count : Integer.MAX_VALUE)) {
                if (instanceId == 0 || instance.getInstanceId() == instanceId) {
                    instances.add(instance);
                }
            }
        }
        List<JsonObject> executions = new ArrayList<>();
        for (JobInstance instance : instances) {
            for (JobExecution execution : operator.getJobExecutions(instance)) {
                executions.add(ExecutionJson.of(execution, instance.getInstanceId()));
            }
        }
        JsonArrayBuilder newestFirst = Json.createArrayBuilder();
        executions.stream()
                .sorted(Comparator.comparingLong((JsonObject e) -> e.getJsonNumber("executionId").longValue())
                        .reversed())
                .limit(Math.max(count, 0))
                .forEach(newestFirst::add);
        return newestFirst.build();
    }

    @GET
    @Path("running")
    public JsonArray running(@QueryParam("jobName") String jobName) {
        JobOperator operator = BatchRuntime.getJobOperator();
        List<String> names = jobName == null ? List.copyOf(operator.getJobNames()) : List.of(jobName);
        JsonArrayBuilder running = Json.createArrayBuilder();
        for (String name : names) {
            List<Long> ids;
            try {
                ids = operator.getRunningExecutions(name);
            } catch (NoSuchJobException e) {
                continue;
            }
            for (long id : ids) {
                running.add(json(operator, id));
            }
        }
        return running.build();
    }

    @GET
    @Path("{id: \\d+}")
    public JsonObject execution(@PathParam("id") long id) {
        return json(BatchRuntime.getJobOperator(), id);
    }

    /** Asks the execution to stop at its next checkpoint; 204 at once, STOPPED later. */
    @POST
    @Path("{id: \\d+}/stop")
    public Response stop(@PathParam("id") long id) {
        BatchRuntime.getJobOperator().stop(id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id: \\d+}/abandon")
    public Response abandon(@PathParam("id") long id) {
        BatchRuntime.getJobOperator().abandon(id);
        return Response.noContent().build();
    }

    /**
     * Restarts the instance of execution {@code id} from the newest of its executions, with
     * that execution's job parameters under the body's ({@link RestartParameters}); answers 200
     * with the new execution.
     */
    @POST
    @Path("{id: \\d+}/restart")
    public JsonObject restart(@PathParam("id") long id, String body) {
        Properties overrides = JobParametersBody.parse(body);
        JobOperator operator = BatchRuntime.getJobOperator();
        JobInstance instance = operator.getJobInstance(id);
        JobExecution newest = RestartParameters.newest(operator.getJobExecutions(instance));
        Properties parameters = RestartParameters.merge(operator.getParameters(newest.getExecutionId()), overrides);
        long restarted = operator.restart(newest.getExecutionId(), parameters);
        return ExecutionJson.of(operator.getJobExecution(restarted), instance.getInstanceId());
    }

    /**
     * Starts job {@value #CANCEL_JOB} for execution {@code id} and answers 201 with that job's
     * new execution at once; whether the provider batches were cancelled is that execution's
     * outcome, read like any other.
     */
    @POST
    @Path("{id: \\d+}/cancel")
    public Response cancel(@PathParam("id") long id, @Context UriInfo uri) {
        JobOperator operator = BatchRuntime.getJobOperator();
        operator.getJobExecution(id); // an unknown id is a 404, not a cancel job that fails later
        Properties parameters = new Properties();
        parameters.setProperty("execution", Long.toString(id));
        return created(operator, operator.start(CANCEL_JOB, parameters), uri);
    }

    @GET
    @Path("{id: \\d+}/stepexecutions")
    public JsonArray steps(@PathParam("id") long id) {
        JsonArrayBuilder steps = Json.createArrayBuilder();
        for (StepExecution step : BatchRuntime.getJobOperator().getStepExecutions(id)) {
            steps.add(ExecutionJson.of(step));
        }
        return steps.build();
    }

    @GET
    @Path("{id: \\d+}/stepexecutions/{stepId: \\d+}")
    public JsonObject step(@PathParam("id") long id, @PathParam("stepId") long stepId) {
        for (StepExecution step : BatchRuntime.getJobOperator().getStepExecutions(id)) {
            if (step.getStepExecutionId() == stepId) {
                return ExecutionJson.of(step);
            }
        }
        throw new NoSuchJobExecutionException("execution " + id + " has no step execution " + stepId);
    }

    /** 201 with the execution and its address. */
    static Response created(JobOperator operator, long executionId, UriInfo uri) {
        URI location = uri.getBaseUriBuilder().path("jobexecutions").path(Long.toString(executionId)).build();
        return Response.created(location).entity(json(operator, executionId)).build();
    }

    private static JsonObject json(JobOperator operator, long executionId) {
        JobExecution execution = operator.getJobExecution(executionId);
        return ExecutionJson.of(execution, operator.getJobInstance(executionId).getInstanceId());
    }

    private static List<JobInstance> instancesOf(JobOperator operator, String name, int count) {
        try {
            return operator.getJobInstances(name, 0, count);
        } catch (NoSuchJobException e) {
            return List.of();
        }
    }
}
