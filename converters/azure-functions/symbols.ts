/** Bicep symbols of the template's resources, and the template's parameters (shared by plan, settings, resources). */
export const SYMBOLS = {
  workspace: 'logs',
  insights: 'insights',
  storage: 'storage',
  blobService: 'blobService',
  container: 'deploymentContainer',
  plan: 'plan',
  site: 'site',
  role: 'storageBlobRole',
} as const;

export const PARAMS = {
  location: 'location',
  app: 'functionAppName',
  storage: 'storageAccountName',
} as const;
