import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, expectNoContent, setCsrfToken, unwrap } from '../../shared/api';
import type { ChangePasswordInput, ClinicProfileInput, SetupInput, StaffCreateInput, StaffUpdateInput, StoreInput } from '../../shared/api-models';
import { meQueryKey } from '../auth/me-query';

export const clinicKeys = {
  setup: ['setup'] as const,
  profile: ['settings', 'clinic'] as const,
  stores: ['stores'] as const,
  staff: ['staff', 'accounts'] as const,
};

export const useSetupStatus = () => useQuery({ queryKey: clinicKeys.setup, queryFn: () => unwrap(api.GET('/api/v1/setup')), staleTime: 30_000 });

/** 创建诊所: the server signs the new owner in; the console then opens as them. */
export const useCreateClinic = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SetupInput) => unwrap(api.POST('/api/v1/setup', { body: input })),
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, me);
    },
  });
};

export const useChangePassword = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ChangePasswordInput) => unwrap(api.POST('/api/v1/auth/password', { body: input })),
    onSuccess: (me) => queryClient.setQueryData(meQueryKey, me),
  });
};

export const useClinicProfile = () => useQuery({ queryKey: clinicKeys.profile, queryFn: () => unwrap(api.GET('/api/v1/settings/clinic')) });

/** The clinic's name shows in the header: the signed-in view refreshes too. */
export const useSaveClinicProfile = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ClinicProfileInput) => unwrap(api.PUT('/api/v1/settings/clinic', { body: input })),
    onSuccess: async (saved) => {
      queryClient.setQueryData(clinicKeys.profile, saved);
      await queryClient.invalidateQueries({ queryKey: meQueryKey });
    },
  });
};

export const useUploadLogo = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (dataBase64: string) => unwrap(api.PUT('/api/v1/settings/clinic/logo', { body: { dataBase64 } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: clinicKeys.profile }),
  });
};

export const useRemoveLogo = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => expectNoContent(api.DELETE('/api/v1/settings/clinic/logo')),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: clinicKeys.profile }),
  });
};

export const useStores = () => useQuery({ queryKey: clinicKeys.stores, queryFn: () => unwrap(api.GET('/api/v1/stores')) });

/** Store changes show in every store picker (they come with the signed-in view). */
const useStoreMutation = <Input>(mutationFn: (input: Input) => Promise<unknown>) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: clinicKeys.stores });
      await queryClient.invalidateQueries({ queryKey: meQueryKey });
    },
  });
};

export const useCreateStore = () => useStoreMutation((input: StoreInput) => unwrap(api.POST('/api/v1/stores', { body: input })));
export const useUpdateStore = () =>
  useStoreMutation(({ id, ...body }: StoreInput & { id: string }) => unwrap(api.PATCH('/api/v1/stores/{id}', { params: { path: { id } }, body })));
export const useCloseStore = () => useStoreMutation((id: string) => unwrap(api.POST('/api/v1/stores/{id}/close', { params: { path: { id } } })));
export const useReopenStore = () => useStoreMutation((id: string) => unwrap(api.POST('/api/v1/stores/{id}/reopen', { params: { path: { id } } })));

export const useStaffAccounts = () => useQuery({ queryKey: clinicKeys.staff, queryFn: () => unwrap(api.GET('/api/v1/staff/accounts')) });

const useStaffMutation = <Input>(mutationFn: (input: Input) => Promise<unknown>) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['staff'] });
    },
  });
};

export const useCreateStaff = () => useStaffMutation((input: StaffCreateInput) => unwrap(api.POST('/api/v1/staff', { body: input })));
export const useUpdateStaff = () =>
  useStaffMutation(({ id, ...body }: StaffUpdateInput & { id: string }) => unwrap(api.PATCH('/api/v1/staff/{id}', { params: { path: { id } }, body })));
export const useStaffAction = () =>
  useStaffMutation(({ id, action }: { id: string; action: 'disable' | 'enable' | 'unlock' }) => {
    const options = { params: { path: { id } } };
    if (action === 'disable') return unwrap(api.POST('/api/v1/staff/{id}/disable', options));
    if (action === 'enable') return unwrap(api.POST('/api/v1/staff/{id}/enable', options));
    return unwrap(api.POST('/api/v1/staff/{id}/unlock', options));
  });
export const useResetPassword = () =>
  useStaffMutation(({ id, temporaryPassword }: { id: string; temporaryPassword: string }) =>
    unwrap(api.POST('/api/v1/staff/{id}/password-reset', { params: { path: { id } }, body: { temporaryPassword } })),
  );
