import { LOCAL_NODE, type ClusterView, type NodeIndex, type Scheduler, type TaskRequest } from "./types.js";

/** Every request runs on the device that made it: no network, the device's CPU path, one at a time. */
export function createLocalOnly(): Scheduler {
  return {
    name: "local-only",
    place(_task: TaskRequest, _view: ClusterView): NodeIndex {
      return LOCAL_NODE;
    },
  };
}
