package io.github.llmbatch.web;

import java.util.Properties;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** {@code /api/jobs}: the jobs the runtime knows, and starting one. */
@Path("jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {

    /** Each job with its number of instances and of running executions. */
    @GET
    public JsonArray jobs() {
        JobOperator operator = BatchRuntime.getJobOperator();
        JsonArrayBuilder jobs = Json.createArrayBuilder();
        for (String name : operator.getJobNames()) {
            jobs.add(Json.createObjectBuilder()
                    .add("jobName", name)
                    .add("numberOfJobInstances", instanceCount(operator, name))
                    .add("numberOfRunningJobExecutions", runningCount(operator, name)));
        }
        return jobs.build();
    }

    /**
     * Starts the job with the body's JSON object as its job parameters (values as strings);
     * answers 201 with the new execution, usually still STARTING.
     */
    @POST
    @Path("{job}/start")
    public Response start(@PathParam("job") String job, String body, @Context UriInfo uri) {
        Properties parameters = JobParametersBody.parse(body);
        JobOperator operator = BatchRuntime.getJobOperator();
        long executionId = operator.start(job, parameters);
        return JobExecutionsResource.created(operator, executionId, uri);
    }

    // the runtimes differ on a job known from its XML but never run: 0 or NoSuchJobException
    private static int instanceCount(JobOperator operator, String name) {
        try {
            return operator.getJobInstanceCount(name);
        } catch (NoSuchJobException e) {
            return 0;
        }
    }

    private static int runningCount(JobOperator operator, String name) {
        try {
            return operator.getRunningExecutions(name).size();
        } catch (NoSuchJobException e) {
            return 0;
        }
    }
}
