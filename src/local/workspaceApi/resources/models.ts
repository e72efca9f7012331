import type { ApiContext } from '../context';
import { resourceTypes } from '../arm/ids';
import { ApiError, badRequest } from '../http/apiError';
import { queryValue } from '../http/requestContext';
import type { RouteDefinition } from '../http/router';
import { isObject, optionalObject, optionalString, requireString } from '../validation';
import { AssetRegistry, type AssetKind } from './assets';
import { matchesBagFilter } from './listFilters';

export const defaultModelType = 'custom_model';

export const modelKind: AssetKind = {
  segment: 'models',
  label: 'model',
  containerType: resourceTypes.modelContainer,
  versionType: resourceTypes.modelVersion,
  collections: (data) => data.models,
  validateVersion(props) {
    const uri = requireString(props, 'modelUri', 'properties.modelUri');
    if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uri)) {
      throw badRequest("The field 'properties.modelUri' must be a URI such as azureml://datastores/<name>/paths/<path>, azureml://jobs/<job>/outputs/artifacts/paths/<path> or runs:/<run>/<path>.", 'properties.modelUri');
    }
    // A free string: clients send custom_model, mlflow_model, triton_model (the spec example says CustomModel).
    props['modelType'] = optionalString(props, 'modelType', 'properties.modelType') ?? defaultModelType;
    optionalString(props, 'jobName', 'properties.jobName');
    optionalString(props, 'stage', 'properties.stage');
    const flavors = optionalObject(props['flavors'], 'properties.flavors');
    for (const [name, flavor] of Object.entries(flavors ?? {})) {
      if (!isObject(flavor)) throw badRequest(`The field 'properties.flavors.${name}' must be a JSON object.`, `properties.flavors.${name}`);
    }
  },
  immutableFields: ['modelUri', 'modelType'],
  // As recorded from Azure ML (model-create-from-file): a generic 404 with the specific code inside.
  missingContainer: (name) => new ApiError(404, 'UserError', 'The specified resource was not found.', undefined, {},
    [{ code: 'ModelNotFound', message: `Model container with name: ${name} not found.` }]),
  selectVersions(ctx, all, name) {
    const version = queryValue(ctx, 'version');
    const description = queryValue(ctx, 'description')?.toLowerCase();
    const tags = queryValue(ctx, 'tags');
    const properties = queryValue(ctx, 'properties');
    const stage = queryValue(ctx, 'stage');
    return all
      .filter((v) => v.name === name)
      .filter((v) => version === undefined || v.version === version)
      .filter((v) => !description || String(v.properties['description'] ?? '').toLowerCase().includes(description))
      .filter((v) => matchesBagFilter(v.properties['tags'], tags))
      .filter((v) => matchesBagFilter(v.properties['properties'], properties))
      .filter((v) => stage === undefined || v.properties['stage'] === stage);
  },
};

export function modelRoutes(api: ApiContext): RouteDefinition[] {
  return new AssetRegistry(api, modelKind).routes();
}
