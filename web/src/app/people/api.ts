import { useQuery } from '@tanstack/react-query';
import { api } from '../api';

export type User = {
  id: string;
  email: string;
  name: string;
  role: string;
  phone?: string | null;
  skills?: string[];
  channelPartnerId?: string | null;
  active: boolean;
  locale?: string | null;
  managerId?: string | null;
  createdAt?: string;
};
export type Team = { id: string; name: string; kind: string; industry: string | null; leadId: string | null; members?: { id: string; name: string; role: string }[] };
export type ChannelPartner = { id: string; name: string; region: string | null; contactName: string | null; contactPhone: string | null; active: boolean };

type List<T> = T[] | { items: T[] };
const items = <T,>(d: List<T>): T[] => (Array.isArray(d) ? d : d.items);

export function useUsers(enabled = true) {
  return useQuery({ queryKey: ['users'], queryFn: () => api.get<List<User>>('/api/users'), select: items, staleTime: 60_000, enabled });
}
export function useTeams() {
  return useQuery({ queryKey: ['teams'], queryFn: () => api.get<List<Team>>('/api/teams'), select: items });
}
export function usePartners() {
  return useQuery({ queryKey: ['channel-partners'], queryFn: () => api.get<List<ChannelPartner>>('/api/channel-partners'), select: items, staleTime: 60_000 });
}
