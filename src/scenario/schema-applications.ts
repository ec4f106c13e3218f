import * as z from "zod";
import { distributionSpecSchema, durationSchema } from "../random/distribution-spec.js";
import { DEFAULT_FRAME_SIZE_PX } from "./defaults.js";
import { idSchema } from "./schema-common.js";
import { builtOnUse } from "./schema-on-use.js";
import { queryStageFields } from "./schema-workloads.js";

/**
 * Applications as graphs of stages (issue 17; docs/applications.md): the scenario form of
 * src/dag/types.ts ApplicationSpec. The vocabulary is iFogSim2's AppModule/AppEdge and YAFS's
 * modules/messages (/work/shared/notes/control-plane.md, section 7): a stage runs a service on one
 * of its hosts, an edge carries `bytes` once per job, "device" is the job's own device.
 */

/** The schemas of applications, built on first use: most scenarios have none. */
function buildApplicationSchema() {
  const placeName = z.string().min(1).meta({ description: 'A node id, or "device": the device that sent the job.' });

  const stageHost = z
    .strictObject({
      place: placeName,
      serviceTime: distributionSpecSchema.optional().meta({ description: "Service time of the stage there: a duration or a distribution (docs/distributions.md). Give this or model." }),
      model: idSchema.optional().meta({
        description:
          "Instead of serviceTime: a model of the place's hardware profile (`models`; on the device, the profile of the devices sending the application): its time at frameSizePx on `path`, lognormal with the profile's cv, as a slot service's inference.",
      }),
      frameSizePx: z
        .number()
        .int()
        .positive()
        .optional()
        .meta({ description: `With model: the input side in pixels. Default ${DEFAULT_FRAME_SIZE_PX}.` }),
      path: z
        .enum(["accelerator", "cpu"])
        .optional()
        .meta({ description: "With model: where it runs on the profile. Default the accelerator when the profile has one, else the CPU (as a slot service)." }),
      slots: z.number().int().positive().meta({ description: "Servers of the (service, place) station; every stage of that service on that place shares them and must give the same number." }),
    })
    .meta({ description: "One place where the stage may run; placement chooses one host per stage per job." });

  const queryStage = z
    .strictObject({
      referenceNode: idSchema.meta({
        description: "The node with a language-model service on which the stage figures were measured; each attempt's tool time = measured time - the LLM exchange there.",
      }),
      ...queryStageFields(),
    })
    .meta({
      description:
        "Instead of service and hosts: the stage is one language-model query per attempt, issued by the job's device and routed by the run's query router (not placed), then its tool time; attempted until it passes or maxAttempts run out, and the job fails when its last attempt fails (a pipeline workload's stage).",
    });

  const stage = z.strictObject({
    id: idSchema.meta({ description: 'The stage id, used by edges (not "device").' }),
    service: idSchema.optional().meta({ description: "The service that runs it: one station per (service, place), shared by the stages of that service. With hosts; not with query." }),
    hosts: z.array(stageHost).min(1).optional().meta({ description: "Where it may run (with service)." }),
    query: queryStage.optional(),
  });

  const edge = z
    .strictObject({
      from: placeName.meta({ description: 'A stage id, or "device" for a source edge (the job enters the graph).' }),
      to: placeName.meta({ description: 'A stage id, or "device" for a sink edge (the answer goes back).' }),
      bytes: z.number().nonnegative().meta({ description: "Bytes carried once per job; free between a place and itself." }),
    })
    .meta({ description: "Data passed from one stage to the next: a stage starts when its last input is in (a join) and sends along every output (a fork)." });

  return z
    .strictObject({
      id: idSchema,
      deadline: durationSchema.optional().meta({ description: "End-to-end deadline: jobs slower than it count as violations. Default none." }),
      stages: z.array(stage).min(1),
      edges: z.array(edge).min(1),
    })
    .meta({ description: "An application as a graph of stages (a DAG): devices send jobs of it with a workload of type dag." });
}

export const applicationSchema = builtOnUse(buildApplicationSchema);

export type ApplicationDocument = z.output<typeof applicationSchema>;
