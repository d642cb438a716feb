import { useMutation, useQueryClient } from '@tanstack/react-query';
import { signIn, signOut } from '../api/endpoints';
import { queryKeys } from '../api/queries';
import type { Session } from '../api/types';
import { navigate } from '../router/router';

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ username, password }: { username: string; password: string }) => signIn(username, password),
    onSuccess: (session) => {
      // Whatever was cached belonged to nobody or to someone else: start clean.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
      queryClient.setQueryData<Session | null>(queryKeys.session, session);
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    onSettled: () => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' && query.queryKey[0] !== 'health' });
      queryClient.setQueryData<Session | null>(queryKeys.session, null);
      navigate('/sign-in?signed-out=1', { replace: true });
    },
  });
}
