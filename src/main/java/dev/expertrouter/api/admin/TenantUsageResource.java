package dev.expertrouter.api.admin;

import dev.expertrouter.api.ApiException;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.tenancy.TenantLimiter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /admin/tenants/{name}/usage}: a tenant's spend today and this month (UTC), its limits
 * and what is left. Admin key required ({@link AdminGate}).
 */
@Path("/admin/tenants")
public class TenantUsageResource {

    private final ConfigHolder config;
    private final TenantLimiter limiter;

    public TenantUsageResource(ConfigHolder config, TenantLimiter limiter) {
        this.config = config;
        this.limiter = limiter;
    }

    @GET
    @Path("{name}/usage")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> usage(@PathParam("name") String name) {
        TenantConfig tenant = config.current().tenants().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiException.notFound("unknown_tenant", "No tenant named '" + name + "'.", "name"));
        return limiter.usage(tenant).map(u -> Response.ok(u.toJson().toString(), MediaType.APPLICATION_JSON).build());
    }
}
